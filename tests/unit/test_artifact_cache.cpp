#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "artifact_cache.hpp"

namespace steper {
namespace {
namespace fs = std::filesystem;

fs::path fresh_folder(const std::string& name) {
  const fs::path folder = fs::temp_directory_path() / name;
  fs::remove_all(folder);
  return folder;
}

TEST(ArtifactCache, BuildsOnceThenReuses) {
  const ArtifactCache cache(fresh_folder("steper_cache_once").string());
  int builds = 0;
  bool built = false;
  const auto build = [&](const std::string& dir) {
    ++builds;
    std::ofstream(dir + "/data.txt") << "index";
  };
  const std::string first = cache.get_or_build("index", "abc", build, &built);
  EXPECT_TRUE(built);
  const std::string second = cache.get_or_build("index", "abc", build, &built);
  EXPECT_FALSE(built);
  EXPECT_EQ(first, second);
  EXPECT_EQ(builds, 1);
  EXPECT_TRUE(fs::exists(first + "/data.txt"));
}

TEST(ArtifactCache, AFailedBuildLeavesNothingBehind) {
  const fs::path root = fresh_folder("steper_cache_fail");
  const ArtifactCache cache(root.string());
  EXPECT_THROW(cache.get_or_build("index", "k", [](const std::string&) { throw std::runtime_error("boom"); }),
               std::runtime_error);
  EXPECT_FALSE(fs::exists(root / "index" / "k"));
  EXPECT_FALSE(fs::exists(root / "index" / "k.tmp"));
  bool built = false;
  cache.get_or_build("index", "k", [](const std::string&) {}, &built);
  EXPECT_TRUE(built);
}

// Two processes asking for the same artifact at once: one builds, the other waits and reuses.
TEST(ArtifactCache, ConcurrentProcessesBuildOnce) {
  const fs::path root = fresh_folder("steper_cache_race");
  const ArtifactCache cache(root.string());
  const auto build = [&](const std::string& dir) {
    std::ofstream(root.string() + "/builds.log", std::ios::app) << getpid() << "\n";
    usleep(300000);
    std::ofstream(dir + "/data.txt") << "done";
  };
  fs::create_directories(root);
  const pid_t child = fork();
  if (child == 0) {
    cache.get_or_build("teacher", "shared", build);
    _exit(fs::exists(root / "teacher" / "shared" / "data.txt") ? 0 : 1);
  }
  cache.get_or_build("teacher", "shared", build);
  int status = 0;
  waitpid(child, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  std::ifstream log(root / "builds.log");
  int lines = 0;
  for (std::string line; std::getline(log, line);) ++lines;
  EXPECT_EQ(lines, 1);
}

}  // namespace
}  // namespace steper
