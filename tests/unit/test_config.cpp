// Experiment files: parse errors, the top-level schema, `base` chains, --set overrides, ids.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "config.hpp"
#include "config_test_support.hpp"
#include "steper/fingerprint.hpp"

namespace steper {
namespace {
namespace fs = std::filesystem;

using testing::config_error;
using testing::ExperimentDir;

Cell only_cell(const Experiment& experiment) {
  const auto cells = experiment.cells();
  EXPECT_EQ(cells.size(), 1u);
  return cells.at(0);
}

constexpr const char* kMinimal = R"(seed = 1
[retriever]
name = "bm25"
k = 4
)";

TEST(StableHash, IsFnv1a64AsSixteenHexDigits) {
  EXPECT_EQ(stable_hash(""), "cbf29ce484222325");
  EXPECT_EQ(stable_hash("a"), "af63dc4c8601ec8c");
  EXPECT_EQ(stable_hash("foobar"), "85944171f73967e8");
}

TEST(ConfigLoad, MissingFileNamesTheFileAndTheReason) {
  ExperimentDir dir;
  const std::string file = dir.path("missing.toml");
  EXPECT_EQ(config_error([&] { Experiment::load(file); }),
            "cannot read experiment file '" + file + "': No such file or directory");
}

TEST(ConfigLoad, AFolderIsNoExperimentFile) {
  ExperimentDir dir;
  dir.write("folder/x.toml", "");
  EXPECT_EQ(config_error([&] { Experiment::load(dir.path("folder")); }),
            "cannot read experiment file '" + dir.path("folder") + "': it is a folder");
}

TEST(ConfigLoad, AnEmptyFileIsOneEmptyCell) {
  ExperimentDir dir;
  const Cell cell = only_cell(Experiment::load(dir.write("empty.toml", "")));
  EXPECT_EQ(cell.config_toml(), "");
  EXPECT_EQ(cell.id(), stable_hash(""));
}

TEST(ConfigLoad, MalformedTomlGivesFileLineAndColumn) {
  ExperimentDir dir;
  const std::string file = dir.write("bad.toml", "seed = 1\n[retriever]\nname = \"bm25\nk = 4\n");
  const std::string message = config_error([&] { Experiment::load(file); });
  EXPECT_EQ(message.rfind(file + ":3:", 0), 0u) << message;
  EXPECT_NE(message.find("string"), std::string::npos) << message;
}

TEST(ConfigLoad, DuplicateKeyIsAParseError) {
  ExperimentDir dir;
  const std::string file = dir.write("dup.toml", "seed = 1\nseed = 2\n");
  const std::string message = config_error([&] { Experiment::load(file); });
  EXPECT_EQ(message, file + ":2:8: Error while parsing key-value pair: cannot redefine existing integer 'seed'");
}

TEST(ConfigLoad, UnknownTopLevelKeyAtItsLocation) {
  ExperimentDir dir;
  const std::string file = dir.write("typo.toml", "seed = 1\n\n[datset]\nname = \"x\"\n");
  EXPECT_EQ(config_error([&] { Experiment::load(file); }),
            file +
                ":3:2: unknown top-level key 'datset' (expected one of: base, seed, experiment, dataset, "
                "retriever, framework, teacher, student, loss, train, pretrain, eval, run, grid)");
}

TEST(ConfigLoad, TopLevelItemOfTheWrongType) {
  ExperimentDir dir;
  const std::string dataset = dir.write("a.toml", "dataset = 3\n");
  EXPECT_EQ(config_error([&] { Experiment::load(dataset); }),
            dataset + ":1:1: key 'dataset' must be a table, found an integer (3)");
  const std::string seed = dir.write("b.toml", "seed = \"one\"\n");
  EXPECT_EQ(config_error([&] { Experiment::load(seed); }),
            seed + ":1:1: key 'seed' must be an integer, found a string (\"one\")");
  const std::string negative = dir.write("c.toml", "seed = -2\n");
  EXPECT_EQ(config_error([&] { Experiment::load(negative); }),
            negative + ":1:1: key 'seed' = -2: expected an integer >= 0");
}

TEST(ConfigLoad, PluginTableNeedsAStringName) {
  ExperimentDir dir;
  const std::string missing = dir.write("a.toml", "seed = 1\n[teacher]\ntemperature = 0.0\n");
  EXPECT_EQ(config_error([&] { Experiment::load(missing); }),
            missing + ":2:2: table [teacher] needs key 'name' (a string naming the model plugin)");
  const std::string wrong = dir.write("b.toml", "[loss]\nname = 3\n");
  EXPECT_EQ(config_error([&] { Experiment::load(wrong); }),
            wrong + ":2:1: key 'loss.name' must be a string naming the loss plugin, found an integer (3)");
}

TEST(ConfigLoad, ExperimentTableKeysAreChecked) {
  ExperimentDir dir;
  const std::string unknown = dir.write("a.toml", "[experiment]\nname = \"x\"\nresult_dir = \"r\"\n");
  EXPECT_EQ(config_error([&] { Experiment::load(unknown); }),
            unknown +
                ":3:1: unknown key 'experiment.result_dir' (expected one of: name, description, results_dir, "
                "cache_dir, plugin_path)");
  const std::string mixed = dir.write("b.toml", "[experiment]\nplugin_path = [\"a\", 2]\n");
  EXPECT_EQ(config_error([&] { Experiment::load(mixed); }),
            mixed + ":2:1: key 'experiment.plugin_path' must be an array of strings, found an array ([\"a\", 2])");
}

TEST(ConfigLoad, NameComesFromTheExperimentTableOrTheFileName) {
  ExperimentDir dir;
  EXPECT_EQ(Experiment::load(dir.write("ablation.toml", kMinimal)).name(), "ablation");
  EXPECT_EQ(Experiment::load(dir.write("b.toml", "[experiment]\nname = \"table3\"\n")).name(), "table3");
}

TEST(ConfigBase, ChildWinsTablesMergeArraysReplace) {
  ExperimentDir dir;
  dir.write("common/base.toml", R"(seed = 5
[retriever]
name = "bm25"
k = 4
[experiment]
plugin_path = ["a", "b"]
)");
  const std::string child = dir.write("child.toml", R"(base = "common/base.toml"
[retriever]
k = 8
[experiment]
plugin_path = ["c"]
)");
  const Cell cell = only_cell(Experiment::load(child));
  EXPECT_EQ(cell.config_toml(), "seed = 5\n\n[retriever]\nk = 8\nname = \"bm25\"\n");
  EXPECT_EQ(cell.settings("experiment").get<std::vector<std::string>>("plugin_path", {}),
            std::vector<std::string>{"c"});
}

// [experiment] says where results go; renaming an experiment must not change its cells.
TEST(ConfigIdentity, TheExperimentTableIsNotPartOfACell) {
  ExperimentDir dir;
  const std::string a = dir.write("a.toml", "seed = 1\n[experiment]\nname = \"first\"\n");
  const std::string b = dir.write("b.toml", "seed = 1\n[experiment]\nname = \"second\"\nresults_dir = \"r\"\n");
  const std::string c = dir.write("c.toml", "seed = 2\n[experiment]\nname = \"first\"\n");
  EXPECT_EQ(only_cell(Experiment::load(a)).id(), only_cell(Experiment::load(b)).id());
  EXPECT_NE(only_cell(Experiment::load(a)).id(), only_cell(Experiment::load(c)).id());
}

// Keys of a plugin table belong to its plugin: naming another plugin starts the table afresh.
TEST(ConfigBase, SwitchingAPluginDropsTheBasePluginsKeys) {
  ExperimentDir dir;
  dir.write("base.toml", "[retriever]\nname = \"bm25\"\nk1 = 0.9\n[dataset]\nname = \"hotpotqa\"\nn = 5\n");
  const std::string child = dir.write("child.toml", "base = \"base.toml\"\n[retriever]\nname = \"dense\"\n"
                                                    "[dataset]\nname = \"hotpotqa\"\nseed = 2\n");
  const Cell cell = only_cell(Experiment::load(child));
  EXPECT_EQ(cell.config_toml(), "[dataset]\nn = 5\nname = \"hotpotqa\"\nseed = 2\n\n[retriever]\nname = \"dense\"\n");
}

TEST(ConfigBase, ChainsResolveRelativeToTheIncludingFile) {
  ExperimentDir dir;
  dir.write("root.toml", "seed = 1\n[train]\nlr = 0.1\nsteps = 10\n");
  dir.write("mid/mid.toml", "base = \"../root.toml\"\n[train]\nsteps = 20\n");
  const std::string top = dir.write("top/top.toml", "base = \"../mid/mid.toml\"\nseed = 3\n");
  const Cell cell = only_cell(Experiment::load(top));
  EXPECT_EQ(cell.config_toml(), "seed = 3\n\n[train]\nlr = 0.1\nsteps = 20\n");
  // Each value keeps the file that set it.
  const Settings train = cell.settings("train");
  EXPECT_EQ(train.location("lr").str(),
            (fs::path(top).parent_path() / "../root.toml").lexically_normal().string() + ":3:1");
  EXPECT_EQ(fs::path(train.location("steps").file).filename(), "mid.toml");
}

TEST(ConfigBase, CycleIsAnErrorNamingTheChain) {
  ExperimentDir dir;
  const std::string a = dir.write("a.toml", "base = \"b.toml\"\n");
  const std::string b = dir.write("b.toml", "seed = 1\nbase = \"a.toml\"\n");
  EXPECT_EQ(config_error([&] { Experiment::load(a); }),
            b + ":2:1: base files form a cycle: " + a + " -> " + b + " -> " + a);
  const std::string self = dir.write("self.toml", "base = \"self.toml\"\n");
  EXPECT_EQ(config_error([&] { Experiment::load(self); }),
            self + ":1:1: base files form a cycle: " + self + " -> " + self);
}

TEST(ConfigBase, MissingOrMistypedBase) {
  ExperimentDir dir;
  const std::string child = dir.write("child.toml", "seed = 1\nbase = \"missing.toml\"\n");
  EXPECT_EQ(config_error([&] { Experiment::load(child); }),
            child + ":2:1: cannot read base file '" + dir.path("missing.toml") + "': No such file or directory");
  const std::string wrong = dir.write("wrong.toml", "base = [\"a.toml\"]\n");
  EXPECT_EQ(config_error([&] { Experiment::load(wrong); }),
            wrong +
                ":1:1: key 'base' must be a string naming the experiment file to inherit from, found an array "
                "([\"a.toml\"])");
  const std::string bad_base = dir.write("bad_base.toml", "base = \"broken.toml\"\n");
  const std::string broken = dir.write("broken.toml", "[retriever\n");
  EXPECT_EQ(config_error([&] { Experiment::load(bad_base); }).rfind(broken + ":1:", 0), 0u);
}

TEST(ConfigOverride, ValuesAreTomlAndBareWordsAreStrings) {
  ExperimentDir dir;
  const std::string file = dir.write("exp.toml", kMinimal);
  const Cell cell = only_cell(Experiment::load(
      file, {"retriever.k=7", "retriever.name=bm25plus", "train.lr = 0.5", "train.tags=[\"a\", \"b\"]",
             "eval.enabled=true", "retriever.bm25={k1 = 1.2, b = 0.75}", "dataset.name=\"hotpot qa\""}));
  EXPECT_EQ(cell.config_toml(),
            "seed = 1\n\n[dataset]\nname = \"hotpot qa\"\n\n[eval]\nenabled = true\n\n"
            "[retriever]\nk = 7\nname = \"bm25plus\"\n\n[retriever.bm25]\nb = 0.75\nk1 = 1.2\n\n"
            "[train]\nlr = 0.5\ntags = [\"a\", \"b\"]\n");
}

TEST(ConfigOverride, TablesMergeIntoTheFileTables) {
  ExperimentDir dir;
  const std::string file = dir.write("exp.toml", "[retriever]\nname = \"bm25\"\n[retriever.bm25]\nk1 = 0.9\nb = 0.4\n");
  const Cell cell = only_cell(Experiment::load(file, {"retriever.bm25={ b = 0.75 }"}));
  EXPECT_EQ(cell.config_toml(), "[retriever]\nname = \"bm25\"\n\n[retriever.bm25]\nb = 0.75\nk1 = 0.9\n");
}

TEST(ConfigOverride, LocationIsTheArgument) {
  ExperimentDir dir;
  const std::string file = dir.write("exp.toml", kMinimal);
  const Cell cell = only_cell(Experiment::load(file, {"seed=2", "retriever.k=\"four\""}));
  EXPECT_EQ(config_error([&] { cell.settings("retriever").get<int>("k", 1); }),
            "--set:2:13: key 'retriever.k' must be an integer, found a string (\"four\")");
}

TEST(ConfigOverride, MalformedArgumentsAreErrorsNamingThem) {
  ExperimentDir dir;
  const std::string file = dir.write("exp.toml", kMinimal);
  EXPECT_EQ(config_error([&] { Experiment::load(file, {"retriever.k"}); }),
            "invalid --set argument 'retriever.k': expected KEY=VALUE with a dotted key, e.g. train.lr=0.001");
  EXPECT_EQ(config_error([&] { Experiment::load(file, {"=3"}); }),
            "invalid --set argument '=3': expected KEY=VALUE with a dotted key, e.g. train.lr=0.001");
  EXPECT_EQ(config_error([&] { Experiment::load(file, {"retriever..k=3"}); }),
            "invalid --set argument 'retriever..k=3': expected KEY=VALUE with a dotted key, e.g. train.lr=0.001");
  const std::string bad_value = config_error([&] { Experiment::load(file, {"seed=1", "train.tags=[1,"}); });
  EXPECT_EQ(bad_value.rfind("--set:2:", 0), 0u) << bad_value;
  EXPECT_NE(bad_value.find("invalid value in --set 'train.tags=[1,': "), std::string::npos) << bad_value;
}

TEST(ConfigOverride, ResultIsCheckedLikeTheFile) {
  ExperimentDir dir;
  const std::string file = dir.write("exp.toml", kMinimal);
  EXPECT_EQ(config_error([&] { Experiment::load(file, {"retrevier.k=3"}); }),
            "--set:1:13: unknown top-level key 'retrevier' (expected one of: base, seed, experiment, dataset, "
            "retriever, framework, teacher, student, loss, train, pretrain, eval, run, grid)");
  EXPECT_EQ(config_error([&] { Experiment::load(file, {"retriever.k.x=3"}); }),
            "--set:1:15: key 'retriever.k.x' goes inside 'retriever.k', which is an integer (4), not a table");
  EXPECT_EQ(config_error([&] { Experiment::load(file, {"base=other.toml"}); }),
            "--set:1:6: 'base' cannot be set with --set (base files are read before overrides apply)");
}

TEST(CellId, SameConfigurationSameIdAcrossLoadsAndKeyOrders) {
  ExperimentDir dir;
  const std::string first = dir.write("a.toml", "seed = 1\n[retriever]\nname = \"bm25\"\nk = 4\n[train]\nlr = 0.1\n");
  const std::string reordered =
      dir.write("b.toml", "[train]\nlr = 0.1\n\n[retriever]\nk = 4\nname = \"bm25\"\n\nseed = 1\n");
  const std::string reordered_fixed =
      dir.write("c.toml", "seed = 1\n[train]\nlr = 0.1\n[retriever]\nk = 4\nname = \"bm25\"\n");
  const std::string id = only_cell(Experiment::load(first)).id();
  EXPECT_EQ(id.size(), 16u);
  EXPECT_EQ(only_cell(Experiment::load(first)).id(), id);
  EXPECT_EQ(only_cell(Experiment::load(reordered_fixed)).id(), id);
  EXPECT_EQ(stable_hash(only_cell(Experiment::load(first)).config_toml()), id);
  // In b.toml `seed` sits inside [retriever], so it is another configuration.
  EXPECT_NE(only_cell(Experiment::load(reordered)).id(), id);
  EXPECT_NE(only_cell(Experiment::load(first, {"train.lr=0.2"})).id(), id);
  EXPECT_EQ(only_cell(Experiment::load(first, {"train.lr=0.1"})).id(), id);
}

TEST(CellId, BaseAndGridAreNotPartOfTheConfiguration) {
  ExperimentDir dir;
  dir.write("base.toml", "seed = 1\n[retriever]\nname = \"bm25\"\n");
  const std::string child = dir.write("child.toml", "base = \"base.toml\"\n[grid]\nseed = [1]\n");
  const std::string flat = dir.write("flat.toml", "seed = 1\n[retriever]\nname = \"bm25\"\n");
  EXPECT_EQ(only_cell(Experiment::load(child)).id(), only_cell(Experiment::load(flat)).id());
  EXPECT_EQ(only_cell(Experiment::load(child)).config_toml(), "seed = 1\n\n[retriever]\nname = \"bm25\"\n");
}

TEST(CellSeed, DefaultsToZeroAndIsRecorded) {
  ExperimentDir dir;
  const Cell with_seed = only_cell(Experiment::load(dir.write("a.toml", kMinimal)));
  EXPECT_EQ(with_seed.seed(), 1u);
  EXPECT_EQ(with_seed.resolved_toml(), "seed = 1\n");
  const Cell without = only_cell(Experiment::load(dir.write("b.toml", "[train]\nlr = 0.1\n")));
  EXPECT_EQ(without.seed(), 0u);
  EXPECT_EQ(without.resolved_toml(), "seed = 0\n");
}

// A copy made to check settings has the cell's id and configuration, but its own record of
// the keys read: checking a cell leaves what the run records of it untouched.
TEST(CellAfresh, SameConfigurationOwnRecordOfKeysRead) {
  ExperimentDir dir;
  const Cell cell = only_cell(Experiment::load(dir.write("a.toml", "seed = 3\n[train]\nlr = 0.1\n")));
  const Cell copy = cell.afresh();
  EXPECT_EQ(copy.id(), cell.id());
  EXPECT_EQ(copy.config_toml(), cell.config_toml());
  EXPECT_EQ(copy.settings("train").get<double>("lr", 0.0), 0.1);
  EXPECT_EQ(copy.resolved_toml(), "[train]\nlr = 0.1\n");
  EXPECT_EQ(cell.resolved_toml(), "");
}

}  // namespace
}  // namespace steper
