// The `steper` command line: plugins, run, report, doctor.
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "config.hpp"
#include "core_settings.hpp"
#include "doctor.hpp"
#include "plugin_loader.hpp"
#include "report.hpp"
#include "runner.hpp"
#include "steper/api.hpp"
#include "steper/settings.hpp"

namespace {

// Exit codes: 0 all done; 1-100 the number of failed cells; above 100 nothing could start.
constexpr int kUsageError = 101;

int list_plugins(const std::string& experiment_file) {
  std::vector<std::string> extra;
  if (!experiment_file.empty()) {
    const auto experiment = steper::Experiment::load(experiment_file);
    extra = steper::ExperimentSettings::read(experiment.cells().front().settings("experiment"), experiment.name())
                .plugin_path;
  }
  const auto folders = steper::plugin_search_path(extra);
  const steper::PluginRegistry registry(folders);
  std::printf("%-10s %-16s %-9s %s\n", "KIND", "NAME", "VERSION", "FILE");
  for (const auto& entry : steper::kPluginKindNames)
    for (const auto& info : registry.plugins())
      if (info.kind == entry.kind)
        std::printf("%-10s %-16s %-9s %s\n", entry.name, info.name.c_str(), info.version.c_str(), info.file.c_str());
  for (const auto& refused : registry.rejected())
    std::fprintf(stderr, "steper: warning: skipped %s: %s\n", refused.file.c_str(), refused.reason.c_str());
  std::printf("\nsearched (first match wins): ");
  for (std::size_t i = 0; i < folders.size(); ++i) std::printf("%s%s", i ? ":" : "", folders[i].c_str());
  std::printf("\nplugin API version %d\n", steper::kPluginApiVersion);
  return 0;
}

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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"steper: step-wise knowledge distillation experiments for multi-step retrieval-augmented LMs"};
  app.require_subcommand(1);

  auto* plugins = app.add_subcommand("plugins", "List every plugin found: kind, name, version, file");
  std::string plugins_experiment;
  plugins->add_option("--experiment", plugins_experiment, "Also search this experiment's plugin_path")
      ->check(CLI::ExistingFile);

  auto* run = app.add_subcommand("run", "Run every cell of an experiment's grid (skipping complete ones)");
  std::string run_file;
  std::string shard;
  steper::RunOptions options;
  run->add_option("file", run_file, "Experiment TOML file")->required();
  run->add_option("--set", options.overrides, "Override a setting: dotted.key=value (TOML value); repeatable");
  run->add_flag("--dry-run", options.dry_run, "Print the cells with their ids and state; run nothing");
  run->add_option("--cell", options.cell_ids, "Run only this cell (id or unique id prefix); repeatable");
  run->add_option("--shard", shard, "Run shard I of N (0-based): cells whose position modulo N is I");
  run->add_option("--jobs", options.jobs, "Run cells as this many parallel processes")->check(CLI::Range(1, 256));
  run->add_flag("--force", options.force, "Recompute cells that are already complete");

  auto* report = app.add_subcommand("report", "Tables from result files or folders");
  std::vector<std::string> report_paths;
  std::string rows, columns, metrics = "em,f1,acc", format = "markdown", preset;
  report->add_option("paths", report_paths, "Result files or folders")->required();
  report->add_option("--rows", rows, "Grid keys for rows, comma-separated (default: every axis but the seed)");
  report->add_option("--columns", columns, "Grid keys for column groups, comma-separated");
  report->add_option("--metrics", metrics, "Metrics, comma-separated: em, f1, acc")->capture_default_str();
  report->add_option("--format", format, "markdown, latex or csv")
      ->check(CLI::IsMember({"markdown", "latex", "csv"}))
      ->capture_default_str();
  report->add_option("--preset", preset, "table1 (method x dataset, EM/F1/Acc) or table2 (weighting ablation, Acc)")
      ->check(CLI::IsMember({"table1", "table2"}));

  app.add_subcommand("doctor", "LibTorch, threads, BLAS, bf16/AMX, measured matrix-multiply GFLOP/s");

  CLI11_PARSE(app, argc, argv);
  try {
    if (*plugins) return list_plugins(plugins_experiment);
    if (*run) {
      if (!shard.empty()) {
        const auto slash = shard.find('/');
        try {
          if (slash == std::string::npos) throw std::invalid_argument("no slash");
          std::size_t used_index = 0, used_count = 0;
          options.shard_index = std::stoi(shard.substr(0, slash), &used_index);
          options.shard_count = std::stoi(shard.substr(slash + 1), &used_count);
          if (used_index != slash || used_count != shard.size() - slash - 1) throw std::invalid_argument("trailing text");
        } catch (const std::exception&) {
          options.shard_count = 0;
        }
        if (options.shard_count < 1 || options.shard_index < 0 || options.shard_index >= options.shard_count) {
          std::fprintf(stderr, "steper: error: --shard '%s': expected I/N with 0 <= I < N, e.g. 0/4\n", shard.c_str());
          return kUsageError;
        }
      }
      return steper::run_experiment(run_file, options);
    }
    if (*report) {
      steper::ReportSpec spec = preset.empty() ? steper::ReportSpec{} : steper::report_preset(preset);
      if (!rows.empty()) spec.rows = split_commas(rows);
      if (!columns.empty()) spec.columns = split_commas(columns);
      if (preset.empty() || report->count("--metrics")) spec.metrics = split_commas(metrics);
      spec.format = format == "latex" ? steper::TableFormat::latex
                    : format == "csv" ? steper::TableFormat::csv
                                      : steper::TableFormat::markdown;
      std::fputs(steper::render_report(steper::collect_results(report_paths), spec).c_str(), stdout);
      return 0;
    }
    std::fputs(steper::doctor_report().c_str(), stdout);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "steper: error: %s\n", e.what());
    return kUsageError;
  }
}
