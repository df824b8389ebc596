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

fs::path leftover_with_files(const fs::path& folder, int files) {
  fs::create_directories(folder / "last");
  for (int i = 0; i < files; ++i) std::ofstream(folder / "last" / ("part-" + std::to_string(i))) << i;
  return folder;
}

TEST(ArtifactCache, LeftoversGoOnceTheArtifactIsStored) {
  const fs::path root = fresh_folder("steper_cache_leftovers");
  const ArtifactCache cache(root.string());
  const fs::path state = root / "pretrain" / "k.partial";
  const std::string dir = cache.get_or_build(
      "pretrain", "k",
      [&](const std::string& out) {
        leftover_with_files(state, 3);
        std::ofstream(out + "/model.safetensors") << "weights";
      },
      nullptr, {state.string()});
  EXPECT_TRUE(fs::exists(dir + "/model.safetensors"));
  EXPECT_FALSE(fs::exists(state));
}

TEST(ArtifactCache, AnIncompleteBuildKeepsItsLeftoversForTheNext) {
  const fs::path root = fresh_folder("steper_cache_incomplete_leftovers");
  const ArtifactCache cache(root.string());
  const fs::path partial = root / "teacher" / "k.partial";
  const auto dir = cache.get_or_try_build(
      "teacher", "k",
      [&](const std::string&) {
        leftover_with_files(partial, 2);
        return false;
      },
      nullptr, {partial.string()});
  EXPECT_FALSE(dir.has_value());
  EXPECT_TRUE(fs::exists(partial / "last" / "part-1"));
}

// A builder stopped between storing the artifact and removing its leftovers: the next call
// reuses the artifact and removes them.
TEST(ArtifactCache, TheNextCallRemovesLeftoversAStoppedBuilderLeft) {
  const fs::path root = fresh_folder("steper_cache_stale_leftovers");
  const ArtifactCache cache(root.string());
  fs::create_directories(root / "checkpoint" / "k");
  const fs::path state = leftover_with_files(root / "checkpoint" / "k.partial", 2);
  bool built = true;
  cache.get_or_build("checkpoint", "k", [](const std::string&) { FAIL() << "rebuilt a stored artifact"; }, &built,
                     {state.string()});
  EXPECT_FALSE(built);
  EXPECT_FALSE(fs::exists(state));
}

// Two processes that want one artifact finish together (one built it, one waited): both remove
// its resume state, which must neither fail either of them nor survive them.
TEST(ArtifactCache, ProcessesFinishingTogetherRemoveLeftoversSafely) {
  const fs::path root = fresh_folder("steper_cache_leftover_race");
  const ArtifactCache cache(root.string());
  fs::create_directories(root);
  for (int round = 0; round < 5; ++round) {
    const std::string key = "reader" + std::to_string(round);
    const fs::path state = root / "pretrain" / (key + ".partial");
    const auto build = [&](const std::string& out) {
      leftover_with_files(state, 400);
      std::ofstream(out + "/model.safetensors") << "weights";
    };
    const pid_t child = fork();
    if (child == 0) {
      try {
        cache.get_or_build("pretrain", key, build, nullptr, {state.string()});
      } catch (...) {
        _exit(2);
      }
      _exit(0);
    }
    EXPECT_NO_THROW(cache.get_or_build("pretrain", key, build, nullptr, {state.string()}));
    int status = 0;
    waitpid(child, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "round " << round;
    EXPECT_FALSE(fs::exists(state)) << "round " << round;
  }
}

}  // namespace
}  // namespace steper
