// Report tables from results built in memory: a 2 losses x 2 datasets x 2 seeds grid (one
// cell failed) in all three formats, the default rows, and the refusals; plus collecting
// result files from folders.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "report.hpp"
#include "result_writer.hpp"

namespace steper {
namespace {

ResultFile make_result(const std::string& loss, const std::string& dataset, int seed, double em,
                       const std::string& lr = "0.001") {
  ResultFile result;
  result.info.cell_id = loss + "-" + dataset + "-" + std::to_string(seed);
  result.path = "results/" + result.info.cell_id + ".h5";
  result.info.status = "complete";
  result.info.axes = {
      {"loss.name", "\"" + loss + "\""}, {"dataset.name", "\"" + dataset + "\""}, {"seed", std::to_string(seed)}};
  result.info.config_toml = "seed = " + std::to_string(seed) + "\n[dataset]\nname = \"" + dataset +
                            "\"\n[loss]\nname = \"" + loss + "\"\n[train]\nlr = " + lr + "\n";
  result.metrics.em = em;
  result.metrics.f1 = em + 10;
  result.metrics.acc = em + 5;
  return result;
}

// steper: hotpotqa EM 40 and 42 (41.00 ± 1.41), musique 20 and 26 (23.00 ± 4.24);
// vanilla_kd: hotpotqa 35 twice (35.00 ± 0.00), musique 15 (seed 2 failed, so n = 1).
std::vector<ResultFile> grid_results() {
  std::vector<ResultFile> results = {
      make_result("steper", "hotpotqa", 1, 40),     make_result("steper", "hotpotqa", 2, 42),
      make_result("steper", "musique", 1, 20),      make_result("steper", "musique", 2, 26),
      make_result("vanilla_kd", "hotpotqa", 1, 35), make_result("vanilla_kd", "hotpotqa", 2, 35),
      make_result("vanilla_kd", "musique", 1, 15),  make_result("vanilla_kd", "musique", 2, 99),
  };
  results.back().info.status = "failed";
  results.back().info.error = "out of memory";
  return results;
}

ReportSpec loss_by_dataset(TableFormat format) {
  ReportSpec spec;
  spec.rows = {"loss.name"};
  spec.columns = {"dataset.name"};
  spec.format = format;
  return spec;
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  return "no error";
}

TEST(RenderReport, MarkdownTable) {
  EXPECT_EQ(render_report(grid_results(), loss_by_dataset(TableFormat::markdown)),
            "| loss.name  |  hotpotqa EM |  hotpotqa F1 | hotpotqa Acc | hotpotqa n |   musique EM |   musique F1 |"
            "  musique Acc | musique n |\n"
            "|------------|-------------:|-------------:|-------------:|-----------:|-------------:|-------------:|"
            "-------------:|----------:|\n"
            "| steper     | 41.00 ± 1.41 | 51.00 ± 1.41 | 46.00 ± 1.41 |          2 | 23.00 ± 4.24 | 33.00 ± 4.24 |"
            " 28.00 ± 4.24 |         2 |\n"
            "| vanilla_kd | 35.00 ± 0.00 | 45.00 ± 0.00 | 40.00 ± 0.00 |          2 |        15.00 |        25.00 |"
            "        20.00 |         1 |\n"
            "\n"
            "1 failed cell not shown: vanilla_kd-musique-2\n");
}

TEST(RenderReport, LatexTable) {
  EXPECT_EQ(
      render_report(grid_results(), loss_by_dataset(TableFormat::latex)),
      "\\begin{tabular}{lrrrrrrrr}\n"
      "\\toprule\n"
      " & \\multicolumn{4}{c}{hotpotqa} & \\multicolumn{4}{c}{musique} \\\\\n"
      "\\cmidrule(lr){2-5} \\cmidrule(lr){6-9}\n"
      "loss.name & EM & F1 & Acc & n & EM & F1 & Acc & n \\\\\n"
      "\\midrule\n"
      "steper & 41.00 $\\pm$ 1.41 & 51.00 $\\pm$ 1.41 & 46.00 $\\pm$ 1.41 & 2 & 23.00 $\\pm$ 4.24 & "
      "33.00 $\\pm$ 4.24 & 28.00 $\\pm$ 4.24 & 2 \\\\\n"
      "vanilla\\_kd & 35.00 $\\pm$ 0.00 & 45.00 $\\pm$ 0.00 & 40.00 $\\pm$ 0.00 & 2 & 15.00 & 25.00 & 20.00 & 1 \\\\\n"
      "\\bottomrule\n"
      "\\end{tabular}\n"
      "% 1 failed cell not shown: vanilla_kd-musique-2\n");
}

TEST(RenderReport, CsvTable) {
  EXPECT_EQ(render_report(grid_results(), loss_by_dataset(TableFormat::csv)),
            "loss.name,dataset.name,em_mean,em_std,f1_mean,f1_std,acc_mean,acc_std,n\n"
            "steper,hotpotqa,41.0000,1.4142,51.0000,1.4142,46.0000,1.4142,2\n"
            "steper,musique,23.0000,4.2426,33.0000,4.2426,28.0000,4.2426,2\n"
            "vanilla_kd,hotpotqa,35.0000,0.0000,45.0000,0.0000,40.0000,0.0000,2\n"
            "vanilla_kd,musique,15.0000,,25.0000,,20.0000,,1\n"
            "# 1 failed cell not shown: vanilla_kd-musique-2\n");
}

TEST(RenderReport, DefaultRowsAreEveryGridAxisButTheSeed) {
  ReportSpec spec;
  spec.metrics = {"em"};
  EXPECT_EQ(render_report(grid_results(), spec),
            "| loss.name  | dataset.name |           EM |   n |\n"
            "|------------|--------------|-------------:|----:|\n"
            "| steper     | hotpotqa     | 41.00 ± 1.41 |   2 |\n"
            "| steper     | musique      | 23.00 ± 4.24 |   2 |\n"
            "| vanilla_kd | hotpotqa     | 35.00 ± 0.00 |   2 |\n"
            "| vanilla_kd | musique      |        15.00 |   1 |\n"
            "\n"
            "1 failed cell not shown: vanilla_kd-musique-2\n");
}

TEST(RenderReport, RefusesToAverageCellsThatDifferInMoreThanTheSeed) {
  auto results = grid_results();
  results.push_back(make_result("steper", "hotpotqa", 3, 50, "0.0003"));
  results.back().info.cell_id = "steper-hotpotqa-lr";
  EXPECT_EQ(
      error_of([&] { render_report(results, loss_by_dataset(TableFormat::markdown)); }),
      "cannot average cells steper-hotpotqa-1 and steper-hotpotqa-lr: they differ in 'train.lr' (0.001 vs 0.0003), "
      "not only in the seed; add that key to the rows or columns");
}

TEST(RenderReport, RowsMayUseASettingThatIsNoGridAxis) {
  std::vector<ResultFile> results = {make_result("steper", "hotpotqa", 1, 40), make_result("steper", "hotpotqa", 2, 42),
                                     make_result("steper", "hotpotqa", 3, 50, "3e-4")};
  ReportSpec spec;
  spec.rows = {"train.lr"};
  spec.metrics = {"acc"};
  spec.format = TableFormat::csv;
  EXPECT_EQ(render_report(results, spec),
            "train.lr,acc_mean,acc_std,n\n"
            "0.001,46.0000,1.4142,2\n"
            "0.0003,55.0000,,1\n");
}

TEST(RenderReport, LatexEscapesSpecialCharacters) {
  auto results = std::vector<ResultFile>{make_result("a_b%c&d", "x", 1, 10)};
  ReportSpec spec;
  spec.rows = {"loss.name"};
  spec.metrics = {"em"};
  spec.format = TableFormat::latex;
  EXPECT_EQ(render_report(results, spec),
            "\\begin{tabular}{lrr}\n\\toprule\nloss.name & EM & n \\\\\n\\midrule\n"
            "a\\_b\\%c\\&d & 10.00 & 1 \\\\\n\\bottomrule\n\\end{tabular}\n");
}

TEST(RenderReport, ClearErrorsForBadSpecsAndDuplicateCells) {
  ReportSpec spec;
  spec.rows = {"loss.nmae"};
  EXPECT_EQ(error_of([&] { render_report(grid_results(), spec); }),
            "no result has a grid axis or setting 'loss.nmae' (grid axes found: loss.name, dataset.name; "
            "computed from every cell: method)");
  spec.rows = {"loss.name"};
  spec.metrics = {"em", "bleu"};
  EXPECT_EQ(error_of([&] { render_report(grid_results(), spec); }), "unknown metric 'bleu' (expected one of em, f1, acc, init, expand, aggr, steps, kept, first, mid, final, teacher_steps)");
  auto results = grid_results();
  results.push_back(results.front());
  results.back().path = "copy/steper-hotpotqa-1.h5";
  EXPECT_EQ(error_of([&] { render_report(results, ReportSpec{}); }),
            "cell steper-hotpotqa-1 appears twice, in 'results/steper-hotpotqa-1.h5' and "
            "'copy/steper-hotpotqa-1.h5'; pass each result once");
  EXPECT_EQ(error_of([] { render_report({}, ReportSpec{}); }), "no result files to report on");
}

// A cell of the paper's experiment files, `weights` (TOML) set in the grid; `label` is the loss
// plugin's row name as its default fills it into the resolved settings ("" for a plugin without).
ResultFile paper_cell(const std::string& dataset, const std::string& loss, int seed, double em,
                      const std::string& eval_model = "student", const std::string& weights = "",
                      const std::string& label = "") {
  ResultFile result;
  result.info.cell_id = dataset + "-" + loss + weights + "-" + eval_model + "-" + std::to_string(seed);
  result.path = "results/" + result.info.cell_id + ".h5";
  result.info.status = "complete";
  result.info.axes = {{"loss.name", "\"" + loss + "\""}, {"seed", std::to_string(seed)}};
  if (!weights.empty()) result.info.axes.emplace_back("loss.weights", weights);
  if (eval_model != "student") result.info.axes.emplace_back("eval.model", "\"" + eval_model + "\"");
  const std::string loss_table = "[loss]\nname = \"" + loss + "\"\n" + (weights.empty() ? "" : "weights = " + weights + "\n");
  const std::string head = "seed = " + std::to_string(seed) + "\n[dataset]\nname = \"" + dataset + "\"\n";
  const std::string eval_table = eval_model != "student" ? "[eval]\nmodel = \"" + eval_model + "\"\n" : "";
  result.info.config_toml = head + loss_table + eval_table;
  result.info.resolved_toml = head + loss_table + (label.empty() ? "" : "label = \"" + label + "\"\n") + eval_table;
  result.metrics.em = em;
  result.metrics.f1 = em + 10;
  result.metrics.acc = em + 5;
  return result;
}

// Grid order as table1.toml runs it: the losses by seed, then the teacher cells.
TEST(ReportPreset, Table1RowsAreDatasetThenTeacherVanillaKdStepEr) {
  std::vector<ResultFile> results;
  for (const std::string dataset : {"hotpotqa", "musique"}) {
    for (int seed : {1, 2}) {
      results.push_back(paper_cell(dataset, "vanilla_kd", seed, 30 + seed, "student", "", "vanilla-KD"));
      results.push_back(paper_cell(dataset, "steper", seed, 40 + 2 * seed, "student", "", "StepER"));
    }
    for (int seed : {1, 2}) results.push_back(paper_cell(dataset, "steper", seed, 60, "teacher", "", "StepER"));
  }
  EXPECT_EQ(render_report(results, report_preset("table1")),
            "| dataset.name | method     |           EM |           F1 |          Acc |   n |\n"
            "|--------------|------------|-------------:|-------------:|-------------:|----:|\n"
            "| hotpotqa     | teacher    | 60.00 ± 0.00 | 70.00 ± 0.00 | 65.00 ± 0.00 |   2 |\n"
            "| hotpotqa     | vanilla-KD | 31.50 ± 0.71 | 41.50 ± 0.71 | 36.50 ± 0.71 |   2 |\n"
            "| hotpotqa     | StepER     | 43.00 ± 1.41 | 53.00 ± 1.41 | 48.00 ± 1.41 |   2 |\n"
            "| musique      | teacher    | 60.00 ± 0.00 | 70.00 ± 0.00 | 65.00 ± 0.00 |   2 |\n"
            "| musique      | vanilla-KD | 31.50 ± 0.71 | 41.50 ± 0.71 | 36.50 ± 0.71 |   2 |\n"
            "| musique      | StepER     | 43.00 ± 1.41 | 53.00 ± 1.41 | 48.00 ± 1.41 |   2 |\n");
}

// In weights.toml's order: the fixed weightings (the uniform one by the plugin's default), then StepER.
TEST(ReportPreset, Table2RowsAreWeightingsWithADatasetPerColumnGroup) {
  std::vector<ResultFile> results;
  for (const std::string dataset : {"hotpotqa", "musique"}) {
    results.push_back(paper_cell(dataset, "fixed_weight", 1, 40, "student", "", "fixed λ = (1, 1, 1)"));
    results.push_back(paper_cell(dataset, "fixed_weight", 1, 41, "student", "[1.5, 1.0, 0.5]", "fixed λ = (1.5, 1, 0.5)"));
    results.push_back(paper_cell(dataset, "fixed_weight", 1, 42, "student", "[0.5, 1.0, 1.5]", "fixed λ = (0.5, 1, 1.5)"));
    results.push_back(paper_cell(dataset, "steper", 1, 50, "student", "", "StepER"));
  }
  ReportSpec spec = report_preset("table2");
  spec.format = TableFormat::csv;
  EXPECT_EQ(render_report(results, spec),
            "method,dataset.name,em_mean,em_std,f1_mean,f1_std,acc_mean,acc_std,n\n"
            "\"fixed λ = (1, 1, 1)\",hotpotqa,40.0000,,50.0000,,45.0000,,1\n"
            "\"fixed λ = (1, 1, 1)\",musique,40.0000,,50.0000,,45.0000,,1\n"
            "\"fixed λ = (1.5, 1, 0.5)\",hotpotqa,41.0000,,51.0000,,46.0000,,1\n"
            "\"fixed λ = (1.5, 1, 0.5)\",musique,41.0000,,51.0000,,46.0000,,1\n"
            "\"fixed λ = (0.5, 1, 1.5)\",hotpotqa,42.0000,,52.0000,,47.0000,,1\n"
            "\"fixed λ = (0.5, 1, 1.5)\",musique,42.0000,,52.0000,,47.0000,,1\n"
            "StepER,hotpotqa,50.0000,,60.0000,,55.0000,,1\n"
            "StepER,musique,50.0000,,60.0000,,55.0000,,1\n");
  spec.format = TableFormat::markdown;
  spec.metrics = {"acc"};
  EXPECT_EQ(render_report(results, spec),
            "| method                  | hotpotqa Acc | hotpotqa n | musique Acc | musique n |\n"
            "|-------------------------|-------------:|-----------:|------------:|----------:|\n"
            "| fixed λ = (1, 1, 1)     |        45.00 |          1 |       45.00 |         1 |\n"
            "| fixed λ = (1.5, 1, 0.5) |        46.00 |          1 |       46.00 |         1 |\n"
            "| fixed λ = (0.5, 1, 1.5) |        47.00 |          1 |       47.00 |         1 |\n"
            "| StepER                  |        55.00 |          1 |       55.00 |         1 |\n");
}

// The host names no loss: each row is the plugin's label, or its name where it has none.
TEST(ReportPreset, MethodIsEachLossPluginsLabelAndUnknownPresetsAreRefused) {
  std::vector<ResultFile> results = {paper_cell("x", "fixed_weight", 1, 10, "student", "[2.0, 0.0, 1.0]", "fixed λ = (2, 0, 1)"),
                                     paper_cell("x", "kind_weighted", 1, 20),
                                     paper_cell("x", "vanilla_kd", 1, 30, "student", "", "vanilla-KD")};
  ReportSpec spec;
  spec.rows = {"method"};
  spec.metrics = {"em"};
  EXPECT_EQ(render_report(results, spec),
            "| method              |    EM |   n |\n"
            "|---------------------|------:|----:|\n"
            "| fixed λ = (2, 0, 1) | 10.00 |   1 |\n"
            "| kind_weighted       | 20.00 |   1 |\n"
            "| vanilla-KD          | 30.00 |   1 |\n");
  EXPECT_THROW(report_preset("table3"), std::invalid_argument);
}

class CollectResultsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    folder_ =
        std::filesystem::temp_directory_path() / ("steper-report-" + std::to_string(getpid()) + "-" + test->name());
    std::filesystem::remove_all(folder_);
    std::filesystem::create_directories(folder_);
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }

  std::string write(const std::string& name, const std::string& cell_id, std::int64_t grid_index,
                    std::uint64_t seed = 1) {
    const std::string path = (folder_ / name).string();
    ResultWriter writer(path);
    CellInfo info;
    info.cell_id = cell_id;
    info.status = "complete";
    info.grid_index = grid_index;
    info.seed = seed;
    writer.commit(info);
    return path;
  }

  std::filesystem::path folder_;
};

TEST_F(CollectResultsTest, ReadsFilesAndFoldersInGridOrderIgnoringTemporaryFiles) {
  write("b.h5", "second", 1);
  write("nested/deeper/a.h5", "third", 2);
  const std::string single = write("elsewhere/c.h5", "first", 0);
  {
    std::ofstream(folder_ / "crashed.h5.tmp") << "half a file";
    std::ofstream(folder_ / "notes.txt") << "not a result";
  }
  std::vector<std::string> skipped;
  const auto results = collect_results({(folder_ / "nested").string(), folder_.string(), single}, skipped);
  EXPECT_TRUE(skipped.empty());
  std::vector<std::string> ids;
  for (const auto& result : results) ids.push_back(result.info.cell_id);
  EXPECT_EQ(ids, (std::vector<std::string>{"first", "second", "third"}));
}

// Seeds added later with `--set seed=` keep the grid position; their file names sort anyhow.
TEST_F(CollectResultsTest, OrdersCellsAtOneGridPositionBySeed) {
  write("a.h5", "seed 3", 0, 3);
  write("b.h5", "seed 1", 0, 1);
  write("c.h5", "seed 2", 0, 2);
  write("d.h5", "next position", 1, 1);
  std::vector<std::string> skipped;
  std::vector<std::string> ids;
  for (const auto& result : collect_results({folder_.string()}, skipped)) ids.push_back(result.info.cell_id);
  EXPECT_EQ(ids, (std::vector<std::string>{"seed 1", "seed 2", "seed 3", "next position"}));
}

TEST_F(CollectResultsTest, SkipsUnreadableFilesNamingEach) {
  write("good.h5", "good", 0);
  { std::ofstream(folder_ / "broken.h5") << "not HDF5"; }
  std::vector<std::string> skipped;
  const auto results = collect_results({folder_.string()}, skipped);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].info.cell_id, "good");
  EXPECT_EQ(skipped, (std::vector<std::string>{"result file '" + (folder_ / "broken.h5").string() +
                                                "' is not an HDF5 file"}));
  EXPECT_EQ(error_of([&] { collect_results({(folder_ / "missing").string()}, skipped); }),
            "result path '" + (folder_ / "missing").string() + "' does not exist");
}

// toml++ recurses once per level: a configuration nested past the limit is refused before it parses.
TEST_F(CollectResultsTest, SkipsAConfigurationNestedTooDeep) {
  const std::string path = (folder_ / "deep.h5").string();
  {
    ResultWriter writer(path);
    CellInfo info;
    info.cell_id = "deep";
    info.status = "complete";
    info.config_toml = "a";
    for (int level = 0; level < 100000; ++level) info.config_toml += ".a";
    info.config_toml += " = 1\n";
    writer.commit(info);
  }
  std::vector<std::string> skipped;
  EXPECT_TRUE(collect_results({path}, skipped).empty());
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(skipped[0].rfind("result file '" + path + "' /config/cell_toml:1:", 0), 0u) << skipped[0];
  EXPECT_NE(skipped[0].find("tables and arrays nested 129 levels deep"), std::string::npos) << skipped[0];
}

}  // namespace
}  // namespace steper
