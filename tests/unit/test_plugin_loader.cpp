// The loader against real plugin libraries built by the test suite (tests/plugins/).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "config.hpp"
#include "config_test_support.hpp"
#include "plugin_loader.hpp"
#include "run_log.hpp"
#include "steper/dataset.hpp"
#include "steper/retriever.hpp"

namespace steper {
namespace {

const std::string kBadPluginDir = std::string(STEPER_TEST_PLUGIN_DIR) + "/../bad_plugins";

Cell cell_from(const std::string& toml_text) {
  // Its own folder: ctest runs the tests of this file side by side in separate processes.
  const testing::ExperimentDir folder;
  return Experiment::load(folder.write("experiment.toml", toml_text)).cells().front();
}

TEST(PluginLoader, FindsEveryKindOfTestPlugin) {
  const PluginRegistry registry({STEPER_TEST_PLUGIN_DIR});
  EXPECT_EQ(registry.names(PluginKind::dataset), std::vector<std::string>{"toy_world"});
  EXPECT_EQ(registry.names(PluginKind::retriever), std::vector<std::string>{"word_overlap"});
  EXPECT_EQ(registry.names(PluginKind::framework), std::vector<std::string>{"hop_chain"});
  EXPECT_EQ(registry.names(PluginKind::model), (std::vector<std::string>{"char_lm", "gold_reader"}));
  EXPECT_EQ(registry.names(PluginKind::loss), std::vector<std::string>{"kind_weighted"});
  EXPECT_TRUE(registry.rejected().empty());
  EXPECT_NE(registry.find(PluginKind::dataset, "toy_world").file.find("libsteper_toy_world.so"), std::string::npos);
}

TEST(PluginLoader, UnknownNameListsTheAvailableOnes) {
  const PluginRegistry registry({STEPER_TEST_PLUGIN_DIR});
  try {
    registry.find(PluginKind::retriever, "bm99");
    FAIL() << "expected PluginError";
  } catch (const PluginError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown retriever plugin 'bm99' (available: word_overlap)"), std::string::npos)
        << e.what();
  }
}

TEST(PluginLoader, RefusesAnotherApiVersionNamingBothVersions) {
  const PluginRegistry registry({kBadPluginDir});
  ASSERT_EQ(registry.rejected().size(), 4u);
  try {
    registry.find(PluginKind::retriever, "wrong_api");
    FAIL() << "expected PluginError";
  } catch (const PluginError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("libsteper_wrong_api.so"), std::string::npos) << message;
    EXPECT_NE(message.find("API version " + std::to_string(kPluginApiVersion + 1)), std::string::npos) << message;
    EXPECT_NE(message.find("provides version " + std::to_string(kPluginApiVersion)), std::string::npos) << message;
  }
}

TEST(PluginLoader, RefusesALibraryWithoutDescriptor) {
  const PluginRegistry registry({kBadPluginDir});
  bool found = false;
  for (const auto& refused : registry.rejected())
    if (refused.file.find("no_descriptor") != std::string::npos) {
      found = true;
      EXPECT_NE(refused.reason.find("exports no 'steper_plugin_descriptor'"), std::string::npos);
    }
  EXPECT_TRUE(found);
}

TEST(PluginLoader, RefusesDescriptorsThatWouldCrashTheHost) {
  const PluginRegistry registry({kBadPluginDir});
  std::map<std::string, std::string> reasons;
  for (const auto& refused : registry.rejected())
    reasons[std::filesystem::path(refused.file).filename().string()] = refused.reason;
  EXPECT_EQ(reasons["libsteper_null_descriptor.so"], "is not a steper plugin: its descriptor is missing or incomplete");
  EXPECT_EQ(reasons["libsteper_data_descriptor.so"],
            "is not a steper plugin: its 'steper_plugin_descriptor' is not a function");
}

TEST(PluginLoader, ALinkLoopIsRefusedAndTheRestLoads) {
  const auto folder = std::filesystem::temp_directory_path() / ("steper-loop-" + std::to_string(getpid()));
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  std::filesystem::create_symlink(folder / "libsteper_loop.so", folder / "libsteper_loop.so");
  const PluginRegistry registry({folder.string(), STEPER_TEST_PLUGIN_DIR});
  ASSERT_EQ(registry.rejected().size(), 1u);
  EXPECT_EQ(registry.rejected()[0].reason, "cannot be read: Too many levels of symbolic links");
  EXPECT_EQ(registry.names(PluginKind::dataset).size(), 1u);
  std::filesystem::remove_all(folder);
}

TEST(PluginLoader, FirstFolderWinsForTheSameName) {
  const PluginRegistry registry({STEPER_TEST_PLUGIN_DIR, STEPER_TEST_PLUGIN_DIR});
  EXPECT_EQ(registry.names(PluginKind::dataset).size(), 1u);
}

TEST(PluginLoader, CreatesAPluginAndRejectsUnknownKeys) {
  const PluginRegistry registry({STEPER_TEST_PLUGIN_DIR});
  RunLog log;
  HostContext context(log, 1, "cpu", std::filesystem::temp_directory_path().string());
  const Cell good = cell_from("[dataset]\nname = \"toy_world\"\npeople = 12\ntrain = 4\ndev = 2\ntest = 2\n");
  Settings settings = good.settings("dataset");
  auto dataset = registry.create<Dataset>(settings.require<std::string>("name"), settings, context);
  EXPECT_EQ(dataset->questions(Split::test).size(), 2u);

  const Cell typo = cell_from("[dataset]\nname = \"toy_world\"\npeeple = 12\n");
  Settings typo_settings = typo.settings("dataset");
  typo_settings.require<std::string>("name");
  try {
    registry.create<Dataset>("toy_world", typo_settings, context);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("/experiment.toml:3:1"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("peeple"), std::string::npos) << e.what();
  }
}

TEST(PluginLoader, RefusesAPluginOfAnotherKindForAnInterface) {
  const PluginRegistry registry({STEPER_TEST_PLUGIN_DIR});
  RunLog log;
  HostContext context(log, 1, "cpu", std::filesystem::temp_directory_path().string());
  const Cell cell = cell_from("[retriever]\nname = \"toy_world\"\n");
  Settings settings = cell.settings("retriever");
  EXPECT_THROW(registry.create<Retriever>("toy_world", settings, context), PluginError);
}

}  // namespace
}  // namespace steper
