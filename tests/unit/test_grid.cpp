// The grid: cartesian product in declaration order, include / exclude, checks, overrides.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "config.hpp"
#include "config_test_support.hpp"

namespace steper {
namespace {
namespace fs = std::filesystem;

using Axes = std::vector<std::pair<std::string, std::string>>;

using testing::config_error;
using testing::ExperimentDir;

std::vector<Axes> axes_of(const std::vector<Cell>& cells) {
  std::vector<Axes> axes;
  for (const auto& cell : cells) axes.push_back(cell.axes());
  return axes;
}

constexpr const char* kBase = R"(seed = 0
[loss]
name = "vanilla_kd"
[train]
lr = 0.001
steps = 10
)";

class GridTest : public ::testing::Test {
 protected:
  std::vector<Cell> cells(const std::string& grid, const std::vector<std::string>& overrides = {}) {
    dir_.write("exp.toml", std::string(kBase) + "[grid]\n" + grid);
    return Experiment::load(file_, overrides).cells();
  }
  std::string error(const std::string& grid, const std::vector<std::string>& overrides = {}) {
    return config_error([&] { cells(grid, overrides); });
  }
  ExperimentDir dir_;
  const std::string file_ = dir_.path("exp.toml");
};

TEST(GridFixture, ProductMinusExclusionsPlusExtraCells) {
  const auto cells = Experiment::load(STEPER_TEST_FIXTURES "/config/ablation.toml").cells();
  const std::vector<Axes> expected = {
      {{"loss.name", "\"vanilla_kd\""}, {"seed", "1"}, {"train.lr", "0.001"}},
      {{"loss.name", "\"vanilla_kd\""}, {"seed", "2"}, {"train.lr", "0.001"}},
      {{"loss.name", "\"steper\""}, {"seed", "1"}, {"train.lr", "0.001"}},
      {{"loss.name", "\"steper\""}, {"seed", "1"}, {"train.lr", "0.01"}},
      {{"loss.name", "\"steper\""}, {"seed", "2"}, {"train.lr", "0.001"}},
      {{"loss.name", "\"steper\""}, {"seed", "2"}, {"train.lr", "0.01"}},
      {{"loss.name", "\"fixed_weight\""}, {"seed", "1"}, {"train.lr", "0.001"}, {"loss.weights", "[1.0, 1.0, 2.0]"}},
  };
  EXPECT_EQ(axes_of(cells), expected);
  std::set<std::string> ids;
  for (const auto& cell : cells) ids.insert(cell.id());
  EXPECT_EQ(ids.size(), cells.size());

  const Cell& extra = cells.back();
  EXPECT_EQ(extra.seed(), 1u);
  EXPECT_EQ(extra.settings("loss").get<std::vector<double>>("weights", {}), (std::vector<double>{1.0, 1.0, 2.0}));
  EXPECT_EQ(extra.settings("train").get<int>("steps", 0), 10);  // from the base file
  EXPECT_EQ(extra.settings("train").location("steps").str(), STEPER_TEST_FIXTURES "/config/common.toml:29:1");
  // A grid value is located at its place in the grid.
  EXPECT_EQ(cells[2].settings("loss").location("name").str(), STEPER_TEST_FIXTURES "/config/ablation.toml:8:30");
  EXPECT_EQ(extra.settings("loss").location("name").str(), STEPER_TEST_FIXTURES "/config/ablation.toml:11:14");
  EXPECT_EQ(cells[0].config_toml().find("[grid]"), std::string::npos);
}

TEST(GridFixture, IdsAreStableAcrossLoads) {
  const auto first = Experiment::load(STEPER_TEST_FIXTURES "/config/ablation.toml").cells();
  const auto second = Experiment::load(STEPER_TEST_FIXTURES "/config/ablation.toml").cells();
  ASSERT_EQ(first.size(), second.size());
  for (std::size_t i = 0; i < first.size(); ++i) EXPECT_EQ(first[i].id(), second[i].id());
}

TEST_F(GridTest, NoGridIsOneCellWithoutAxes) {
  const auto plain = Experiment::load(dir_.write("plain.toml", kBase)).cells();
  ASSERT_EQ(plain.size(), 1u);
  EXPECT_TRUE(plain[0].axes().empty());
  EXPECT_EQ(plain[0].config_toml(), "seed = 0\n\n[loss]\nname = \"vanilla_kd\"\n\n[train]\nlr = 0.001\nsteps = 10\n");
}

TEST_F(GridTest, AxesFollowDeclarationOrderNotKeyOrder) {
  const auto result = cells("\"train.steps\" = [5, 6]\nseed = [1]\n\"loss.name\" = [\"a\", \"b\"]\n");
  const std::vector<Axes> expected = {
      {{"train.steps", "5"}, {"seed", "1"}, {"loss.name", "\"a\""}},
      {{"train.steps", "5"}, {"seed", "1"}, {"loss.name", "\"b\""}},
      {{"train.steps", "6"}, {"seed", "1"}, {"loss.name", "\"a\""}},
      {{"train.steps", "6"}, {"seed", "1"}, {"loss.name", "\"b\""}},
  };
  EXPECT_EQ(axes_of(result), expected);
  EXPECT_EQ(result[3].config_toml(), "seed = 1\n\n[loss]\nname = \"b\"\n\n[train]\nlr = 0.001\nsteps = 6\n");
}

TEST_F(GridTest, NestedTablesAndQuotedKeysNameTheSameAxis) {
  const auto nested = cells("[grid.train]\nsteps = [5, 6]\n");
  EXPECT_EQ(axes_of(nested), (std::vector<Axes>{{{"train.steps", "5"}}, {{"train.steps", "6"}}}));
  const auto quoted = cells("\"train.steps\" = [5, 6]\n");
  EXPECT_EQ(quoted[0].id(), nested[0].id());
  EXPECT_EQ(error("\"train.steps\" = [5]\ntrain.steps = [6]\n"),
            file_ + ":8:1: grid axis 'train.steps' is declared twice");
}

TEST_F(GridTest, IntegersAreAcceptedWhereTheSettingIsAFloat) {
  const auto result = cells("\"train.lr\" = [1, 0.5]\n");
  EXPECT_EQ(result[0].axes(), (Axes{{"train.lr", "1.0"}}));
  EXPECT_EQ(result[0].config_toml(), "seed = 0\n\n[loss]\nname = \"vanilla_kd\"\n\n[train]\nlr = 1.0\nsteps = 10\n");
}

TEST_F(GridTest, GridValuesMayAddSettingsAndTables) {
  const auto result = cells("\"eval.questions\" = [10, 20]\n");
  ASSERT_EQ(result.size(), 2u);
  EXPECT_EQ(result[1].settings("eval").get<int>("questions", 0), 20);
  EXPECT_EQ(config_error([&] { result[1].settings("eval").require<int>("split"); }),
            file_ + ":8:25: table [eval] needs key 'split' (an integer)");
}

TEST_F(GridTest, AWholePluginTableReplacesTheTableWithTheKeysOfThePluginItNames) {
  dir_.write("exp.toml", std::string(kBase) + "[loss.extra]\nmargin = 1\n[grid]\n" +
                             "loss = [{ name = \"vanilla_kd\" }, { name = \"steper\", init = 0.5 }]\n");
  const auto result = Experiment::load(file_).cells();
  ASSERT_EQ(result.size(), 2u);
  EXPECT_EQ(result[0].axes(), (Axes{{"loss", "{ name = \"vanilla_kd\" }"}}));
  EXPECT_EQ(result[0].settings("loss").to_toml(), "name = \"vanilla_kd\"\n");
  EXPECT_EQ(result[1].settings("loss").to_toml(), "init = 0.5\nname = \"steper\"\n");
  Settings steper = result[1].settings("loss");
  EXPECT_EQ(config_error([&] { steper.require<std::string>("mode"); }),
            file_ + ":10:34: table [loss] needs key 'mode' (a string)");
}

TEST_F(GridTest, AWholeTableAxisBesideAnAxisInsideItIsAnError) {
  EXPECT_EQ(error("\"loss.name\" = [\"steper\"]\nloss = [{ name = \"vanilla_kd\" }]\n"),
            file_ + ":9:1: grid axes 'loss.name' and 'loss' overlap; vary the whole table or keys inside it, not both");
  EXPECT_EQ(error("\"loss.name\" = [\"steper\", \"vanilla_kd\"]\n", {"grid.loss=[{ name = \"fixed_weight\" }]"}),
            "--set:1:11: grid axes 'loss.name' and 'loss' overlap; vary the whole table or keys inside it, not both");
}

// Three axes of 100 values would be a million cells, each hashed and held while the grid is listed.
TEST_F(GridTest, AGridOfTooManyCellsIsRefusedBeforeAnyIsMade) {
  std::string seeds = "seed = [", steps = "\"train.steps\" = [", questions = "\"eval.questions\" = [";
  for (int i = 1; i <= 100; ++i) {
    const std::string sep = i < 100 ? ", " : "]\n";
    seeds += std::to_string(i) + sep;
    steps += std::to_string(i) + sep;
    questions += std::to_string(i) + sep;
  }
  EXPECT_EQ(error(seeds + steps + questions),
            file_ + ":7:2: the grid makes more than 100000 cells; split it into several experiment files");
}

TEST_F(GridTest, AKeyLeftForAnotherPluginByANameAxisSaysHowToGiveEachPluginItsTable) {
  dir_.write("exp.toml", "seed = 0\n[loss]\nname = \"steper\"\ninit = 0.5\n[grid]\n\"loss.name\" = [\"vanilla_kd\"]\n");
  const auto result = Experiment::load(file_).cells();
  Settings loss = result[0].settings("loss");
  loss.get<std::string>("name", "");
  EXPECT_EQ(config_error([&] { loss.reject_unread(); }),
            file_ + ":4:1: unknown key 'loss.init' (this plugin reads: name); the grid sets 'loss.name' alone, so the "
                    "other keys of [loss] reach every plugin it names: give each plugin its own table instead, e.g. "
                    "grid.loss = [{ name = \"a\" }, { name = \"b\", key = 1 }]");
}

TEST_F(GridTest, EntryErrorsPointAtTheEntry) {
  EXPECT_EQ(error("seed = 3\n"), file_ + ":8:1: grid entry 'seed' must be an array of values, found an integer (3)");
  EXPECT_EQ(error("\"train.lr\" = []\n"), file_ + ":8:1: grid entry 'train.lr' has no values");
  EXPECT_EQ(error("train = [{ lr = 0.1 }]\n"),
            file_ + ":8:1: grid key 'train' names the whole table [train]; vary keys inside it (only plugin "
                    "tables such as [loss] vary whole)");
  EXPECT_EQ(error("loss = [\"steper\"]\n"),
            file_ + ":8:9: grid value for the whole table [loss] is a string (\"steper\"); expected an inline table "
                    "naming its plugin, e.g. { name = \"steper\", init = 0.5 }");
  EXPECT_EQ(error("\"lose.name\" = [\"a\"]\n"),
            file_ + ":8:1: grid key 'lose.name' names no setting ('lose' is not a top-level key of an experiment)");
  EXPECT_EQ(error("\"base\" = [\"a.toml\"]\n"),
            file_ + ":8:1: grid key 'base' names no setting ('base' is not a top-level key of an experiment)");
  EXPECT_EQ(error("\"train.lr.x\" = [1]\n"),
            file_ + ":8:17: key 'train.lr.x' goes inside 'train.lr', which is a float (0.001), not a table");
}

TEST_F(GridTest, ValueOfAnotherTypeIsAnErrorAtTheValue) {
  EXPECT_EQ(error("\"train.lr\" = [0.1,\n  \"fast\"]\n"),
            file_ + ":9:3: grid value for 'train.lr' is a string (\"fast\"), but the setting is a float (0.001)");
  EXPECT_EQ(error("seed = [1, 2.5]\n"),
            file_ + ":8:12: grid value for 'seed' is a float (2.5), but the setting is an integer (0)");
  EXPECT_EQ(error("include = [{ \"train.steps\" = \"many\" }]\n"),
            file_ + ":8:14: grid value for 'train.steps' is a string (\"many\"), but the setting is an integer (10)");
}

TEST_F(GridTest, IncludeAddsCellsWithBaseValuesElsewhere) {
  const auto result = cells("seed = [1, 2]\ninclude = [{ seed = 2 }, { seed = 9, \"train.steps\" = 3 }]\n");
  const std::vector<Axes> expected = {
      {{"seed", "1"}},
      {{"seed", "2"}},  // the first include repeats this cell, which appears once
      {{"seed", "9"}, {"train.steps", "3"}},
  };
  EXPECT_EQ(axes_of(result), expected);
  EXPECT_EQ(result[2].settings("train").get<double>("lr", 0.0), 0.001);
}

TEST_F(GridTest, ExcludeDropsCellsMatchingEveryPair) {
  const auto result =
      cells("seed = [1, 2]\n\"loss.name\" = [\"a\", \"b\"]\nexclude = [{ seed = 1, \"loss.name\" = \"b\" }]\n");
  const std::vector<Axes> expected = {
      {{"seed", "1"}, {"loss.name", "\"a\""}},
      {{"seed", "2"}, {"loss.name", "\"a\""}},
      {{"seed", "2"}, {"loss.name", "\"b\""}},
  };
  EXPECT_EQ(axes_of(result), expected);
  // Exclusions also apply to extra cells, and compare the setting's type: 1 matches 1.0.
  EXPECT_EQ(cells("include = [{ \"train.lr\" = 1.0 }]\nexclude = [{ \"train.lr\" = 1 }]\n").size(), 1u);
}

TEST_F(GridTest, ExcludingEveryCellIsAnError) {
  EXPECT_EQ(error("seed = [1, 2]\nexclude = [{ \"train.steps\" = 10 }]\n"),
            file_ + ":9:1: grid.exclude drops every cell of the grid");
}

TEST_F(GridTest, IncludeAndExcludeMustBeArraysOfInlineTables) {
  EXPECT_EQ(error("include = { seed = 1 }\n"),
            file_ +
                ":8:1: key 'grid.include' must be an array of inline tables such as [{ seed = 4, \"loss.name\" = "
                "\"steper\" }], found a table ({ seed = 1 })");
  EXPECT_EQ(error("exclude = [{ seed = 1 }, 3]\n"),
            file_ + ":8:26: 'grid.exclude[1]' must be an inline table, found an integer (3)");
  EXPECT_EQ(error("exclude = [{}]\n"), file_ + ":8:12: 'grid.exclude[0]' sets no key");
}

TEST_F(GridTest, OverridesChangeAxesThroughGridKeys) {
  const auto replaced = cells("seed = [1, 2]\n\"loss.name\" = [\"a\"]\n", {"grid.seed=[7]", "grid.train.steps=[5, 6]"});
  const std::vector<Axes> expected = {
      {{"seed", "7"}, {"loss.name", "\"a\""}, {"train.steps", "5"}},
      {{"seed", "7"}, {"loss.name", "\"a\""}, {"train.steps", "6"}},
  };
  EXPECT_EQ(axes_of(replaced), expected);
  const auto included = cells("seed = [1]\n", {"grid.include=[{ seed = 4 }]"});
  EXPECT_EQ(axes_of(included), (std::vector<Axes>{{{"seed", "1"}}, {{"seed", "4"}}}));
  EXPECT_EQ(included[1].settings("train").location("lr").str(), file_ + ":5:1");
}

TEST_F(GridTest, OverridingAnAxisDirectlyIsAnError) {
  EXPECT_EQ(error("seed = [1, 2]\n", {"seed=3"}),
            "--set:1:6: 'seed' is a grid axis; use --set grid.seed=[...] instead");
  EXPECT_EQ(error("\"loss.name\" = [\"a\"]\n", {"loss={ name = \"b\" }"}),
            "--set:1:6: 'loss' overlaps the grid axis 'loss.name'; use --set grid.loss.name=[...] instead");
  EXPECT_EQ(error("seed = [1]\n", {"grid.seed=3"}),
            "--set:1:11: grid entry 'seed' must be an array of values, found an integer (3)");
  EXPECT_EQ(error("seed = [1]\n", {"grid={}"}),
            "--set:1:6: --set cannot replace the whole grid; set one entry, e.g. --set grid.seed=[1,2]");
  EXPECT_EQ(error("seed = [1]\n", {"grid.seed=[\"x\"]"}),
            "--set:1:12: grid value for 'seed' is a string (\"x\"), but the setting is an integer (0)");
}

TEST(GridBase, BaseAxesComeFirstAndChildrenReplaceThemInPlace) {
  ExperimentDir dir;
  dir.write("base.toml", std::string(kBase) + "[grid]\nseed = [1, 2]\n\"train.steps\" = [5]\n");
  const std::string child =
      dir.write("child.toml", "base = \"base.toml\"\n[grid]\n\"loss.name\" = [\"a\"]\nseed = [3]\n");
  const std::vector<Axes> expected = {{{"seed", "3"}, {"train.steps", "5"}, {"loss.name", "\"a\""}}};
  EXPECT_EQ(axes_of(Experiment::load(child).cells()), expected);
}

}  // namespace
}  // namespace steper
