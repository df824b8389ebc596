// Settings: typed reads, their errors and locations, paths, unread keys, resolved values.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <toml++/toml.h>

#include <climits>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "config.hpp"
#include "config_test_support.hpp"

namespace steper {
namespace {
namespace fs = std::filesystem;

using testing::config_error;
using testing::ExperimentDir;

constexpr const char* kRetriever = R"(seed = 1
[retriever]
name = "bm25"
k = 4
big = 9999999999
ratio = 0.5
whole = 2
stem = true
fields = ["title", "text"]
weights = [1, 0.5]
ids = [3, 4]
label = "four"
[retriever.bm25]
k1 = 1.2
b = 0.75
)";

class SettingsTest : public ::testing::Test {
 protected:
  Cell load(const std::string& text, const std::vector<std::string>& overrides = {}) {
    file_ = dir_.write("exp.toml", text);
    return Experiment::load(file_, overrides).cells().at(0);
  }
  ExperimentDir dir_;
  std::string file_;
};

TEST_F(SettingsTest, ReadsEveryType) {
  const Settings retriever = load(kRetriever).settings("retriever");
  EXPECT_EQ(retriever.path(), "retriever");
  EXPECT_EQ(retriever.get<int>("k", 0), 4);
  EXPECT_EQ(retriever.get<std::int64_t>("big", 0), 9999999999);
  EXPECT_EQ(retriever.get<double>("ratio", 0.0), 0.5);
  EXPECT_EQ(retriever.get<double>("whole", 0.0), 2.0);  // an integer where a float is expected
  EXPECT_TRUE(retriever.get<bool>("stem", false));
  EXPECT_EQ(retriever.require<std::string>("name"), "bm25");
  EXPECT_EQ(retriever.get<std::vector<std::string>>("fields", {}), (std::vector<std::string>{"title", "text"}));
  EXPECT_EQ(retriever.get<std::vector<double>>("weights", {}), (std::vector<double>{1.0, 0.5}));
  EXPECT_EQ(retriever.get<std::vector<std::int64_t>>("ids", {}), (std::vector<std::int64_t>{3, 4}));
  EXPECT_EQ(retriever.require<double>("bm25.k1"), 1.2);  // a dotted key reaches a nested table
  EXPECT_EQ(retriever.table("bm25").get<double>("b", 0.0), 0.75);
  EXPECT_EQ(retriever.table("bm25").path(), "retriever.bm25");
}

TEST_F(SettingsTest, MissingKeysYieldTheFallback) {
  const Cell cell = load(kRetriever);
  const Settings retriever = cell.settings("retriever");
  EXPECT_FALSE(retriever.has("depth"));
  EXPECT_TRUE(retriever.has("bm25.k1"));
  EXPECT_EQ(retriever.get<int>("depth", 3), 3);
  EXPECT_EQ(retriever.get<std::vector<std::string>>("stop", {"a"}), std::vector<std::string>{"a"});
  EXPECT_EQ(cell.settings("train").get<double>("lr", 0.25), 0.25);  // an absent table reads as empty
  EXPECT_EQ(cell.settings("train").to_toml(), "");
}

TEST_F(SettingsTest, WrongTypeNamesLocationKeyAndBothTypes) {
  const Settings retriever = load(kRetriever).settings("retriever");
  EXPECT_EQ(config_error([&] { retriever.get<int>("label", 0); }),
            file_ + ":12:1: key 'retriever.label' must be an integer, found a string (\"four\")");
  EXPECT_EQ(config_error([&] { retriever.get<std::string>("k", ""); }),
            file_ + ":4:1: key 'retriever.k' must be a string, found an integer (4)");
  EXPECT_EQ(config_error([&] { retriever.get<bool>("ratio", false); }),
            file_ + ":6:1: key 'retriever.ratio' must be a boolean, found a float (0.5)");
  EXPECT_EQ(config_error([&] { retriever.get<std::int64_t>("ratio", 0); }),
            file_ + ":6:1: key 'retriever.ratio' must be an integer, found a float (0.5)");
  EXPECT_EQ(config_error([&] { retriever.get<std::vector<std::string>>("label", {}); }),
            file_ + ":12:1: key 'retriever.label' must be an array of strings, found a string (\"four\")");
  EXPECT_EQ(
      config_error([&] { retriever.get<std::vector<std::string>>("weights", {}); }),
      file_ + ":10:12: key 'retriever.weights' must be an array of strings; retriever.weights[0] is an integer (1)");
  EXPECT_EQ(config_error([&] { retriever.get<double>("bm25", 0.0); }),
            file_ + ":13:12: key 'retriever.bm25' must be a float, found a table ({ b = 0.75, k1 = 1.2 })");
  EXPECT_EQ(config_error([&] { retriever.get<double>("k.x", 0.0); }),
            file_ + ":4:1: key 'retriever.k' must be a table, found an integer (4)");
  EXPECT_EQ(config_error([&] { retriever.table("name"); }),
            file_ + ":3:1: key 'retriever.name' must be a table, found a string (\"bm25\")");
}

TEST_F(SettingsTest, IntegerOutOfIntRange) {
  const Settings retriever = load(kRetriever).settings("retriever");
  EXPECT_EQ(config_error([&] { retriever.get<int>("big", 0); }),
            file_ + ":5:1: key 'retriever.big' = 9999999999: expected an integer between " + std::to_string(INT_MIN) +
                " and " + std::to_string(INT_MAX));
}

TEST_F(SettingsTest, NanAndInfinityAreRefused) {
  const Settings retriever =
      load("[retriever]\nname = \"bm25\"\na = nan\nb = inf\nc = -inf\nd = [1.0, nan]\n").settings("retriever");
  EXPECT_EQ(config_error([&] { retriever.get<double>("a", 0.0); }),
            file_ + ":3:1: key 'retriever.a' must be a finite number, found nan");
  EXPECT_EQ(config_error([&] { retriever.get<double>("b", 0.0); }),
            file_ + ":4:1: key 'retriever.b' must be a finite number, found inf");
  EXPECT_EQ(config_error([&] { retriever.get<double>("c", 0.0); }),
            file_ + ":5:1: key 'retriever.c' must be a finite number, found -inf");
  EXPECT_EQ(config_error([&] { retriever.get<std::vector<double>>("d", {}); }),
            file_ + ":6:11: key 'retriever.d[1]' must be a finite number, found nan");
}

TEST_F(SettingsTest, RequireNamesTheTableThatLacksTheKey) {
  const Cell cell = load(kRetriever);
  EXPECT_EQ(config_error([&] { cell.settings("retriever").require<int>("depth"); }),
            file_ + ":2:2: table [retriever] needs key 'depth' (an integer)");
  EXPECT_EQ(config_error([&] { cell.settings("retriever").require<std::vector<double>>("bm25.k3"); }),
            file_ + ":13:12: table [retriever.bm25] needs key 'k3' (an array of floats)");
  // An absent table has no line: the message points at the experiment file.
  EXPECT_EQ(config_error([&] { cell.settings("train").require<double>("lr"); }),
            file_ + ": table [train] needs key 'lr' (a float)");
}

TEST_F(SettingsTest, FailShowsTheValueAndWhatWasExpected) {
  const Cell cell = load("[train]\nlr = -1\n");
  const Settings train = cell.settings("train");
  EXPECT_EQ(config_error([&] { train.fail("lr", "a learning rate > 0"); }),
            file_ + ":2:1: key 'train.lr' = -1: expected a learning rate > 0");
  train.get<int>("steps", -5);  // a default is shown as the value used
  EXPECT_EQ(config_error([&] { train.fail("steps", "a step count > 0"); }),
            file_ + ":1:2: key 'train.steps' = -5: expected a step count > 0");
  EXPECT_EQ(train.location("lr").str(), file_ + ":2:1");
}

TEST_F(SettingsTest, RejectUnreadNamesTheFirstUnknownKeyAndTheKeysRead) {
  const Cell cell = load("[retriever]\nname = \"bm25\"\nk = 4\nkk = 5\n[retriever.bm25]\nk1 = 1.2\nb1 = 0.7\n");
  const Settings retriever = cell.settings("retriever");
  retriever.require<std::string>("name");
  retriever.get<int>("k", 10);
  retriever.get<double>("bm25.k1", 0.9);
  retriever.get<double>("bm25.b", 0.4);
  EXPECT_EQ(retriever.unread_keys(), (std::vector<std::string>{"retriever.kk", "retriever.bm25.b1"}));
  EXPECT_EQ(config_error([&] { retriever.reject_unread(); }),
            file_ + ":4:1: unknown key 'retriever.kk' (this plugin reads: name, k, bm25.k1, bm25.b)");
  // A nested view checks only its own keys.
  EXPECT_EQ(config_error([&] { retriever.table("bm25").reject_unread(); }),
            file_ + ":7:1: unknown key 'retriever.bm25.b1' (this plugin reads: k1, b)");
  // Every view of a cell shares what has been read.
  cell.settings("retriever").get<int>("kk", 0);
  cell.settings("retriever").get<double>("bm25.b1", 0.0);
  EXPECT_NO_THROW(retriever.reject_unread());
}

TEST_F(SettingsTest, RejectUnreadCoversEmptyTablesAndCoreTables) {
  const Cell cell = load("[train]\nlr = 0.1\n[train.schedule]\n");
  const Settings train = cell.settings("train");
  EXPECT_EQ(config_error([&] { train.reject_unread(); }),
            file_ + ":2:1: unknown key 'train.lr' (the harness reads no keys)");
  train.get<double>("lr", 0.0);
  EXPECT_EQ(config_error([&] { train.reject_unread(); }),
            file_ + ":3:8: unknown key 'train.schedule' (the harness reads: lr)");
  train.table("schedule");
  EXPECT_NO_THROW(train.reject_unread());
}

TEST_F(SettingsTest, ResolvedHoldsEveryKeyReadWithDefaultsFilledIn) {
  const Cell cell = load(kRetriever);
  const Settings retriever = cell.settings("retriever");
  retriever.require<std::string>("name");
  retriever.get<int>("k", 10);
  retriever.get<int>("depth", 3);
  retriever.get<double>("bm25.k1", 0.9);
  retriever.get<std::vector<std::string>>("stop", {"the", "a"});
  cell.settings("train").get<double>("lr", 0.001);
  cell.settings("run").get<bool>("resume", true);
  EXPECT_EQ(cell.resolved_toml(),
            "[retriever]\ndepth = 3\nk = 4\nname = \"bm25\"\nstop = [\"the\", \"a\"]\n\n[retriever.bm25]\nk1 = 1.2\n\n"
            "[run]\nresume = true\n\n[train]\nlr = 0.001\n");
  // It is TOML that reads back to the same values.
  const toml::table resolved = toml::parse(cell.resolved_toml());
  EXPECT_EQ(resolved["train"]["lr"].value<double>(), 0.001);
}

TEST_F(SettingsTest, ToTomlIsTheTableAsTomlText) {
  const Settings bm25 = load(kRetriever).settings("retriever").table("bm25");
  EXPECT_EQ(bm25.to_toml(), "b = 0.75\nk1 = 1.2\n");
}

TEST(SettingsPaths, ResolveAgainstTheFileThatSetTheValue) {
  ExperimentDir dir;
  dir.write("shared/base.toml",
            "[dataset]\nname = \"jsonl\"\ntrain = \"data/train.jsonl\"\nabsolute = \"/srv/x.jsonl\"\n");
  const std::string child =
      dir.write("exp/child.toml", "base = \"../shared/base.toml\"\n[dataset]\ntest = \"test.jsonl\"\n");
  const Cell cell = Experiment::load(child, {"dataset.dev=dev/dev.jsonl"}).cells().at(0);
  const Settings dataset = cell.settings("dataset");
  EXPECT_EQ(dataset.get_path("train", ""), dir.path("shared/data/train.jsonl"));
  EXPECT_EQ(dataset.get_path("test", ""), dir.path("exp/test.jsonl"));
  EXPECT_EQ(dataset.get_path("absolute", ""), "/srv/x.jsonl");
  EXPECT_EQ(dataset.get_path("dev", ""), "dev/dev.jsonl");     // --set: relative to the working folder
  EXPECT_EQ(dataset.get_path("cache", "cache/x"), "cache/x");  // a fallback is taken as given
  EXPECT_EQ(dataset.location("dev").str(), "--set:1:13");
  // The resolved configuration keeps the value as written.
  EXPECT_NE(cell.resolved_toml().find("train = \"data/train.jsonl\""), std::string::npos);
}

}  // namespace
}  // namespace steper
