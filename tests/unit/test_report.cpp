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
            "no result has a grid axis or setting 'loss.nmae' (grid axes found: loss.name, dataset.name)");
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

  std::string write(const std::string& name, const std::string& cell_id, std::int64_t grid_index) {
    const std::string path = (folder_ / name).string();
    ResultWriter writer(path);
    CellInfo info;
    info.cell_id = cell_id;
    info.status = "complete";
    info.grid_index = grid_index;
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
  const auto results = collect_results({(folder_ / "nested").string(), folder_.string(), single});
  std::vector<std::string> ids;
  for (const auto& result : results) ids.push_back(result.info.cell_id);
  EXPECT_EQ(ids, (std::vector<std::string>{"first", "second", "third"}));
}

TEST_F(CollectResultsTest, NamesTheBadFile) {
  { std::ofstream(folder_ / "broken.h5") << "not HDF5"; }
  EXPECT_EQ(error_of([&] { collect_results({folder_.string()}); }),
            "result file '" + (folder_ / "broken.h5").string() + "' is not an HDF5 file");
  EXPECT_EQ(error_of([&] { collect_results({(folder_ / "missing").string()}); }),
            "result path '" + (folder_ / "missing").string() + "' does not exist");
}

}  // namespace
}  // namespace steper
