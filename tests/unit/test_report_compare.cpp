// `steper report --compare`: two rows' cells paired by seed and their questions by id, the
// comparison line after the table, and the refusals; once through result files on disk.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "report.hpp"
#include "result_writer.hpp"

namespace steper {
namespace {

// A complete cell whose questions q1..qN are right (1) or wrong (0) as `correct` says, stored
// in reverse order so that pairing has to go by question id.
ResultFile cell(const std::string& loss, int seed, const std::vector<int>& correct, const std::string& dataset = "hotpotqa") {
  ResultFile result;
  result.info.cell_id = loss + "-" + std::to_string(seed);
  result.path = "results/" + result.info.cell_id + ".h5";
  result.info.status = "complete";
  result.info.axes = {{"loss.name", "\"" + loss + "\""}, {"seed", std::to_string(seed)}};
  result.info.config_toml = "seed = " + std::to_string(seed) + "\n[dataset]\nname = \"" + dataset +
                            "\"\n[loss]\nname = \"" + loss + "\"\n";
  // The row name each loss plugin's default `label` fills into the resolved settings.
  result.info.resolved_toml =
      result.info.config_toml + "label = \"" + (loss == "steper" ? "StepER" : loss == "vanilla_kd" ? "vanilla-KD" : loss) + "\"\n";
  double right = 0;
  for (std::size_t question = correct.size(); question-- > 0;) {
    PredictionRow row;
    row.question_id = "q" + std::to_string(question + 1);
    row.em = row.acc = correct[question];
    row.f1 = correct[question] ? 1.0 : 0.5;
    result.predictions.push_back(row);
    right += correct[question];
  }
  result.metrics.em = result.metrics.acc = 100 * right / static_cast<double>(correct.size());
  return result;
}

// Differences steper - vanilla_kd per question: seed 1 (1, 0, 0, 1), seed 2 (0, -1, 1, 1); over
// the seeds 0.5, -0.5, 0.5, 1, mean 0.375. A resample of 4 questions averages to -25 points or
// less with probability 0.035 (to -50 with 0.004) and to 87.5 or more with 0.035 (100 with
// 0.004): the 95% interval is [-25, +87.5]. Steper alone is right 4 times, vanilla_kd once:
// p = 2 * (1 + 5) / 32.
std::vector<ResultFile> two_losses() {
  return {cell("steper", 1, {1, 1, 0, 1}), cell("steper", 2, {1, 0, 1, 1}), cell("vanilla_kd", 1, {0, 1, 0, 0}),
          cell("vanilla_kd", 2, {1, 1, 0, 0})};
}

ReportSpec compare_losses() {
  ReportSpec spec;
  spec.rows = {"loss.name"};
  spec.columns = {"dataset.name"};
  spec.metrics = {"acc"};
  spec.comparisons = {parse_comparison("loss.name=steper,loss.name=vanilla_kd")};
  return spec;
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const std::exception& error) {
    return error.what();
  }
  return "no error";
}

TEST(ReportCompare, LineAfterTheTable) {
  EXPECT_EQ(render_report(two_losses(), compare_losses()),
            "| loss.name  |  hotpotqa Acc | hotpotqa n |\n"
            "|------------|--------------:|-----------:|\n"
            "| steper     |  75.00 ± 0.00 |          2 |\n"
            "| vanilla_kd | 37.50 ± 17.68 |          2 |\n"
            "\n"
            "steper − vanilla_kd (Acc; dataset.name = hotpotqa): +37.50 points, 95% CI [-25.00, +87.50] "
            "(paired bootstrap over 4 questions × 2 seeds, 10000 resamples); McNemar b=4 c=1, p=0.375\n");
}

TEST(ReportCompare, OtherMetricsFormatsAndUnpairedSeeds) {
  auto results = two_losses();
  results.push_back(cell("steper", 3, {1, 1, 1, 1}));
  ReportSpec spec = compare_losses();
  spec.columns = {};
  spec.comparisons = {parse_comparison("loss.name=vanilla_kd,loss.name=steper")};
  spec.compare_metric = "f1";  // per question 1 or 0.5: half the Acc differences
  spec.bootstrap_resamples = 2000;
  spec.format = TableFormat::csv;
  EXPECT_EQ(render_report(results, spec),
            "loss.name,acc_mean,acc_std,n\n"
            "steper,83.3333,14.4338,3\n"
            "vanilla_kd,37.5000,17.6777,2\n"
            "# vanilla_kd − steper (F1): -18.75 points, 95% CI [-43.75, +12.50] (paired bootstrap over 4 questions × "
            "2 seeds, 2000 resamples); McNemar on Acc b=1 c=4, p=0.375; left out, without a partner: seed 3 of steper\n");
}

TEST(ReportCompare, RefusesDifferentQuestionsAndRowsItCannotFind) {
  auto results = two_losses();
  results[3].predictions[0].question_id = "q5";  // vanilla_kd seed 2 answered q5 instead of q4
  EXPECT_EQ(error_of([&] { render_report(results, compare_losses()); }),
            "cannot pair the questions of cells steper-1 and vanilla_kd-2: question 'q4' is in steper-1 but not in "
            "vanilla_kd-2 (a paired comparison needs the same questions in every compared cell)");
  results = two_losses();
  results[2].predictions.pop_back();  // vanilla_kd seed 1 lacks q1
  EXPECT_EQ(error_of([&] { render_report(results, compare_losses()); }),
            "cannot pair the questions of cells steper-1 and vanilla_kd-1: question 'q1' is in steper-1 but not in "
            "vanilla_kd-1 (a paired comparison needs the same questions in every compared cell)");
  results = two_losses();
  results[2].predictions.push_back(results[2].predictions.front());
  results[2].predictions.back().question_id = "q9";  // vanilla_kd seed 1 has an extra question
  EXPECT_EQ(error_of([&] { render_report(results, compare_losses()); }),
            "cannot pair the questions of cells steper-1 and vanilla_kd-1: question 'q9' is in vanilla_kd-1 but not "
            "in steper-1 (a paired comparison needs the same questions in every compared cell)");

  ReportSpec spec = compare_losses();
  spec.comparisons = {parse_comparison("loss.name=steper,loss.name=fixed_weight")};
  EXPECT_EQ(error_of([&] { render_report(two_losses(), spec); }),
            "--compare loss.name=steper against loss.name=fixed_weight: no row has loss.name = fixed_weight "
            "(it has: steper, vanilla_kd)");
  spec.comparisons = {parse_comparison("method=StepER,method=vanilla-KD")};
  EXPECT_EQ(error_of([&] { render_report(two_losses(), spec); }),
            "--compare names 'method', which is not a row key of this report (rows: loss.name); add it to --rows");
  spec.comparisons = {parse_comparison("loss.name=steper,loss.name=vanilla_kd")};
  spec.compare_metric = "bleu";
  EXPECT_EQ(error_of([&] { render_report(two_losses(), spec); }), "cannot compare by 'bleu' (expected em, f1 or acc)");
}

TEST(ReportCompare, RowsArePairedOnTheOtherRowKeys) {
  auto results = two_losses();
  for (const auto& musique : {cell("steper", 1, {1, 1}, "musique"), cell("vanilla_kd", 1, {1, 1}, "musique")}) {
    results.push_back(musique);
    results.back().info.cell_id += "-musique";
  }
  ReportSpec spec = compare_losses();
  spec.rows = {"dataset.name", "method"};
  spec.columns = {};
  spec.comparisons = {parse_comparison("method=StepER,method=vanilla-KD")};
  spec.bootstrap_resamples = 100;
  const std::string report = render_report(results, spec);
  EXPECT_NE(report.find("\nStepER − vanilla-KD (Acc; dataset.name = hotpotqa): +37.50 points"), std::string::npos)
      << report;
  EXPECT_NE(report.find("\nStepER − vanilla-KD (Acc; dataset.name = musique): +0.00 points, 95% CI [+0.00, +0.00] "
                        "(paired bootstrap over 2 questions × 1 seed, 100 resamples); McNemar b=0 c=0, p=1\n"),
            std::string::npos)
      << report;
}

TEST(ParseComparison, KeysValuesAndValuesWithCommas) {
  const Comparison plain = parse_comparison("loss.name=steper,loss.name=vanilla_kd");
  EXPECT_EQ(plain.key_a, "loss.name");
  EXPECT_EQ(plain.value_a, "steper");
  EXPECT_EQ(plain.key_b, "loss.name");
  EXPECT_EQ(plain.value_b, "vanilla_kd");
  const Comparison commas = parse_comparison("method=fixed λ = (1.5, 1, 0.5),method=StepER");
  EXPECT_EQ(commas.value_a, "fixed λ = (1.5, 1, 0.5)");
  EXPECT_EQ(commas.value_b, "StepER");
  EXPECT_EQ(error_of([] { parse_comparison("loss.name=steper"); }),
            "--compare 'loss.name=steper': expected KEY=A,KEY=B, e.g. loss.name=steper,loss.name=vanilla_kd");
  EXPECT_THROW(parse_comparison("steper,vanilla_kd"), std::invalid_argument);
}

// The predictions come from the result files only when collect_results is asked for them.
TEST(ReportCompare, ReadsPredictionsFromResultFiles) {
  const auto folder =
      std::filesystem::temp_directory_path() / ("steper-report-compare-" + std::to_string(getpid()));
  std::filesystem::remove_all(folder);
  for (const auto& result : two_losses()) {
    ResultWriter writer((folder / (result.info.cell_id + ".h5")).string());
    writer.write_predictions(result.predictions);
    writer.write_metrics(result.metrics);
    writer.commit(result.info);
  }
  std::vector<std::string> skipped;
  EXPECT_EQ(error_of([&] { render_report(collect_results({folder.string()}, skipped), compare_losses()); }),
            "cell steper-1 holds no per-question predictions to compare");
  const std::string report = render_report(collect_results({folder.string()}, skipped, /*with_predictions=*/true), compare_losses());
  std::filesystem::remove_all(folder);
  EXPECT_NE(report.find("\nsteper − vanilla_kd (Acc; dataset.name = hotpotqa): +37.50 points, 95% CI [-25.00, +87.50] "
                        "(paired bootstrap over 4 questions × 2 seeds, 10000 resamples); McNemar b=4 c=1, p=0.375\n"),
            std::string::npos)
      << report;
}

}  // namespace
}  // namespace steper
