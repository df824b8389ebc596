// steper report PATHS [--preset ...] [--rows ...] [--compare KEY=A,KEY=B ...]: tables of results.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "command.hpp"
#include "printable.hpp"
#include "report.hpp"

namespace steper::commands {
namespace {

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    const std::size_t comma = text.find(',', start);
    parts.push_back(text.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return parts;
}

struct Args {
  std::vector<std::string> paths;
  std::string rows, columns, metrics = "em,f1,acc", format = "markdown", preset;
  std::vector<std::string> compares;
  std::string compare_metric = "acc";
  int bootstrap = 10000;
};

ReportSpec report_spec(const Args& args, bool metrics_given) {
  ReportSpec spec = args.preset.empty() ? ReportSpec{} : report_preset(args.preset);
  if (!args.rows.empty()) spec.rows = split_commas(args.rows);
  if (!args.columns.empty()) spec.columns = split_commas(args.columns);
  if (args.preset.empty() || metrics_given) spec.metrics = split_commas(args.metrics);
  spec.format = args.format == "latex" ? TableFormat::latex
                : args.format == "csv" ? TableFormat::csv
                                       : TableFormat::markdown;
  for (const auto& compare : args.compares) spec.comparisons.push_back(parse_comparison(compare));
  spec.compare_metric = args.compare_metric;
  spec.bootstrap_resamples = args.bootstrap;
  return spec;
}

}  // namespace

void add_report(CLI::App& app, int& exit_code) {
  auto* command = app.add_subcommand("report", "Tables from result files or folders");
  auto args = std::make_shared<Args>();
  command->add_option("paths", args->paths, "Result files or folders")->required();
  command->add_option("--rows", args->rows, "Keys for rows, comma-separated: grid axes, settings, or method (computed from each cell: teacher, or the loss plugin's label) (default: every axis but the seed)");
  command->add_option("--columns", args->columns, "Grid keys for column groups, comma-separated");
  auto* metrics = command->add_option("--metrics", args->metrics, "Metrics, comma-separated: em, f1, acc, init, expand, aggr (per-ability scores), steps, kept (teacher trajectories kept, %), first, mid, final (samples per kind), teacher_steps")->capture_default_str();
  command->add_option("--format", args->format, "markdown, latex or csv")
      ->check(CLI::IsMember({"markdown", "latex", "csv"}))
      ->capture_default_str();
  command->add_option("--preset", args->preset, "table1 (rows dataset x method: teacher, vanilla-KD, StepER; EM/F1/Acc) or table2 (rows method, columns EM/F1/Acc per dataset)")
      ->check(CLI::IsMember({"table1", "table2"}));
  command->add_option("--compare", args->compares, "Compare two rows, KEY=A,KEY=B (row keys), e.g. loss.name=steper,loss.name=vanilla_kd: paired bootstrap 95% CI of the difference and McNemar's exact test, paired by seed and question; repeatable")
      ->allow_extra_args(false);
  command->add_option("--compare-metric", args->compare_metric, "Metric of --compare: em, f1 or acc (McNemar always uses Acc)")
      ->check(CLI::IsMember({"em", "f1", "acc"}))
      ->capture_default_str();
  command->add_option("--bootstrap", args->bootstrap, "Resamples of --compare's paired bootstrap")
      ->check(CLI::Range(1, 10000000))
      ->capture_default_str();
  on_parsed(*command, exit_code, [args, metrics] {
    const ReportSpec spec = report_spec(*args, metrics->count() > 0);
    const bool with_predictions = !spec.comparisons.empty();
    std::vector<std::string> skipped;
    const std::vector<ResultFile> results = collect_results(args->paths, skipped, with_predictions);
    for (const std::string& reason : skipped) std::fprintf(stderr, "steper: warning: skipped %s\n", printable(reason).c_str());
    std::fputs(printable(render_report(results, spec), /*keep_lines=*/true).c_str(), stdout);
    return 0;
  });
}

}  // namespace steper::commands
