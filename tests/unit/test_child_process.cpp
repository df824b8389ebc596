// Child processes (run --jobs, data-parallel ranks, sbatch): arguments, environment, output files,
// exit statuses, a program that cannot be executed, and death with the parent.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "child_process.hpp"
#include "config_test_support.hpp"

namespace steper {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(ChildProcess, PassesArgumentsAndEnvironmentAndWritesOutputFiles) {
  testing::ExperimentDir dir;
  ChildProcess child;
  child.argv = {"sh", "-c", "echo \"$1 $GREETING\"; echo oops >&2; exit 3", "sh", "hello"};
  child.environment = {"GREETING=world", "PATH=/usr/bin:/bin"};
  child.stdout_file = dir.path("out.txt");
  child.stderr_file = dir.path("err.txt");
  const pid_t pid = start_child(child);
  ASSERT_GT(pid, 0);
  const int status = wait_child(pid);
  EXPECT_EQ(describe_exit(status), "exit code 3");
  EXPECT_EQ(read_file(child.stdout_file), "hello world\n");
  EXPECT_EQ(read_file(child.stderr_file), "oops\n");
}

TEST(ChildProcess, SameFileForBothStreamsHoldsBoth) {
  testing::ExperimentDir dir;
  ChildProcess child;
  child.argv = {"/bin/sh", "-c", "echo out; echo err >&2"};
  child.stdout_file = child.stderr_file = dir.path("both.log");
  EXPECT_EQ(describe_exit(wait_child(start_child(child))), "exit code 0");
  EXPECT_EQ(read_file(child.stdout_file), "out\nerr\n");
}

TEST(ChildProcess, AProgramThatCannotRunExits127SayingWhy) {
  testing::ExperimentDir dir;
  ChildProcess child;
  child.argv = {"steper-no-such-program"};
  child.environment = {"PATH=/usr/bin:/bin"};
  child.stderr_file = dir.path("err.txt");
  EXPECT_EQ(describe_exit(wait_child(start_child(child))), "exit code 127");
  EXPECT_EQ(read_file(child.stderr_file), "cannot execute steper-no-such-program\n");
}

TEST(ChildProcess, DiesWithItsParentWhenAsked) {
  testing::ExperimentDir dir;
  const std::string grandchild_pid = dir.path("pid");
  // The parent here is a forked copy of the test that starts a sleeping child and exits.
  const pid_t parent = ::fork();
  if (parent == 0) {
    ChildProcess child;
    child.argv = {"/bin/sh", "-c", "echo $$ > " + grandchild_pid + "; exec sleep 30"};
    child.death_signal = SIGKILL;
    start_child(child);
    for (int i = 0; i < 250 && read_file(grandchild_pid).empty(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ::_exit(0);
  }
  ASSERT_EQ(describe_exit(wait_child(parent)), "exit code 0");
  const pid_t grandchild = std::stoi(read_file(grandchild_pid));
  // Gone, or a zombie where no init reaps orphans.
  const auto ended = [&] {
    const std::string stat = read_file("/proc/" + std::to_string(grandchild) + "/stat");
    const auto paren = stat.rfind(')');
    return ::kill(grandchild, 0) != 0 || (paren != std::string::npos && stat.compare(paren, 3, ") Z") == 0);
  };
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    gone = ended();
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(gone) << "process " << grandchild << " outlived its parent";
}

TEST(ChildProcess, EnvironmentWithoutDropsOnlyTheNamedVariables) {
  ::setenv("STEPER_TEST_DROP", "1", 1);
  ::setenv("STEPER_TEST_KEEP", "2", 1);
  const auto environment = environment_without({"STEPER_TEST_DROP"});
  EXPECT_EQ(std::count(environment.begin(), environment.end(), "STEPER_TEST_KEEP=2"), 1);
  EXPECT_EQ(std::count(environment.begin(), environment.end(), "STEPER_TEST_DROP=1"), 0);
  EXPECT_EQ(describe_exit(W_EXITCODE(0, SIGTERM)), "killed by signal 15");
}

}  // namespace
}  // namespace steper
