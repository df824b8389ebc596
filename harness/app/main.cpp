// The `steper` command line: plugins, run, status, submit, index, report, doctor, data synth.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "config.hpp"
#include "core_settings.hpp"
#include "doctor.hpp"
#include "printable.hpp"
#include "grid_status.hpp"
#include "musique_writer.hpp"
#include "plugin_loader.hpp"
#include "report.hpp"
#include "result_inspect.hpp"
#include "run_log.hpp"
#include "runner.hpp"
#include "slurm_submit.hpp"
#include "steper/api.hpp"
#include "steper/compute.hpp"
#include "steper/dataset.hpp"
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
  std::printf("\nsearched (first match wins): ");
  for (std::size_t i = 0; i < folders.size(); ++i) std::printf("%s%s", i ? ":" : "", folders[i].c_str());
  std::printf("\nplugin API version %d\n", steper::kPluginApiVersion);
  return 0;
}

// Generates the `synthetic` dataset (each --set is a key of its [dataset] table) and writes
// DIR/{train,dev,test}.jsonl in MuSiQue's format plus DIR/corpus.jsonl.
int data_synth(const std::string& out_dir, const std::vector<std::string>& sets) {
  namespace fs = std::filesystem;
  // A one-table experiment file, so --set values are typed and located as `run` does it.
  std::string scratch = (fs::temp_directory_path() / "steper-synth-XXXXXX").string();
  if (!mkdtemp(scratch.data())) throw std::runtime_error("cannot create a folder like '" + scratch + "'");
  struct RemoveScratch {
    std::string path;
    ~RemoveScratch() { std::error_code ignored; fs::remove_all(path, ignored); }
  } remove_scratch{scratch};
  const std::string experiment_file = scratch + "/synth.toml";
  if (!(std::ofstream(experiment_file) << "[dataset]\nname = \"synthetic\"\n"))
    throw std::runtime_error("cannot write '" + experiment_file + "'");
  std::vector<std::string> overrides;
  for (const auto& set : sets) overrides.push_back("dataset." + set);
  const steper::Cell cell = steper::Experiment::load(experiment_file, overrides).cells().front();
  steper::Settings table = cell.settings("dataset");
  const steper::PluginRegistry registry(steper::plugin_search_path({}));
  steper::RunLog log;
  steper::HostContext context(log, cell.seed(), "cpu", scratch);
  auto dataset = registry.create<steper::Dataset>(table.require<std::string>("name"), table, context);

  fs::create_directories(out_dir);
  const steper::Corpus corpus(dataset->corpus());
  const std::string corpus_file = (fs::path(out_dir) / "corpus.jsonl").string();
  steper::write_corpus_file(corpus_file, corpus);
  std::printf("%zu paragraphs -> %s\n", corpus.size(), corpus_file.c_str());
  for (const steper::Split split : {steper::Split::train, steper::Split::dev, steper::Split::test}) {
    const auto questions = dataset->questions(split);
    const std::string file = (fs::path(out_dir) / (std::string(steper::to_string(split)) + ".jsonl")).string();
    steper::write_musique_file(file, questions, corpus);
    std::printf("%zu questions -> %s\n", questions.size(), file.c_str());
  }
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
  steper::reuse_freed_memory();
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
  report->add_option("--rows", rows, "Keys for rows, comma-separated: grid axes, settings, or method / weighting (computed from each cell) (default: every axis but the seed)");
  report->add_option("--columns", columns, "Grid keys for column groups, comma-separated");
  report->add_option("--metrics", metrics, "Metrics, comma-separated: em, f1, acc, init, expand, aggr (per-ability scores), steps, kept (teacher trajectories kept, %), first, mid, final (samples per kind), teacher_steps")->capture_default_str();
  report->add_option("--format", format, "markdown, latex or csv")
      ->check(CLI::IsMember({"markdown", "latex", "csv"}))
      ->capture_default_str();
  report->add_option("--preset", preset, "table1 (rows dataset x method: teacher, vanilla-KD, StepER; EM/F1/Acc) or table2 (rows weighting, columns EM/F1/Acc per dataset)")
      ->check(CLI::IsMember({"table1", "table2"}));
  std::vector<std::string> compares;
  std::string compare_metric = "acc";
  int bootstrap = 10000;
  report->add_option("--compare", compares, "Compare two rows, KEY=A,KEY=B (row keys), e.g. loss.name=steper,loss.name=vanilla_kd: paired bootstrap 95% CI of the difference and McNemar's exact test, paired by seed and question; repeatable")
      ->allow_extra_args(false);
  report->add_option("--compare-metric", compare_metric, "Metric of --compare: em, f1 or acc (McNemar always uses Acc)")
      ->check(CLI::IsMember({"em", "f1", "acc"}))
      ->capture_default_str();
  report->add_option("--bootstrap", bootstrap, "Resamples of --compare's paired bootstrap")
      ->check(CLI::Range(1, 10000000))
      ->capture_default_str();

  auto* index = app.add_subcommand("index", "Build the retrieval indexes of an experiment's cells ahead of the runs");
  std::string index_file;
  std::vector<std::string> index_sets;
  index->add_option("file", index_file, "Experiment TOML file")->required();
  index->add_option("--set", index_sets, "Override a setting: dotted.key=value (TOML value); repeatable");

  auto* inspect = app.add_subcommand(
      "inspect", "Print a training question's teacher trajectory and its step-wise samples, or the trajectories a "
                 "result file (.h5) stores for a question");
  std::string inspect_file, inspect_question;
  std::size_t inspect_cell = 0;
  std::vector<std::string> inspect_sets;
  inspect->add_option("file", inspect_file, "Experiment TOML file, or a cell's result file (.h5)")->required();
  inspect->add_option("--question", inspect_question, "Id of a training question (of any question in a result file)")
      ->required();
  inspect->add_option("--cell", inspect_cell, "Grid index of the cell")->capture_default_str();
  inspect->add_option("--set", inspect_sets, "Override a setting: dotted.key=value (TOML value); repeatable");

  app.add_subcommand("doctor", "LibTorch, threads, BLAS, bf16/AMX, measured matrix-multiply GFLOP/s");

  auto* data = app.add_subcommand("data", "Dataset tools");
  data->require_subcommand(1);
  auto* synth = data->add_subcommand("synth", "Write the synthetic multi-hop world as MuSiQue JSONL plus a corpus JSONL");
  std::string synth_out;
  std::vector<std::string> synth_sets;
  synth->add_option("--out", synth_out, "Folder for train/dev/test.jsonl and corpus.jsonl")->required();
  synth->add_option("--set", synth_sets, "A setting of the synthetic dataset: key=value (TOML value), e.g. entities=5000; repeatable");

  auto* submit = app.add_subcommand("submit", "Submit the cells that are not complete as a Slurm job array, one cell per task");
  std::string submit_file;
  bool submit_slurm = false, submit_print = false;
  steper::SlurmOptions slurm;
  submit->add_option("file", submit_file, "Experiment TOML file")->required();
  submit->add_flag("--slurm", submit_slurm, "Submit with Slurm's sbatch (the one scheduler so far)")->required();
  submit->add_flag("--print", submit_print, "Print the sbatch script; submit nothing");
  submit->add_option("--partition", slurm.partition, "Slurm partition");
  submit->add_option("--time", slurm.time, "Time limit per task (Slurm format: M, H:M:S, D-H:M, ...; at least 5 minutes)");
  submit->add_option("--cpus", slurm.cpus, "CPUs per task");
  submit->add_option("--gpus", slurm.gpus, "GPUs per task: a count, or type:count");
  submit->add_option("--mem", slurm.mem, "Memory per task, e.g. 16G");
  submit->add_option("--max-parallel", slurm.max_parallel, "At most this many tasks at once (the %K of --array)");
  submit->add_option("--sbatch-line", slurm.sbatch_lines,
                     "An extra sbatch option, as --sbatch-line=--account=abc or '#SBATCH --qos=low'; repeatable");
  submit->add_option("--output-dir", slurm.output_dir, "Folder for the script and Slurm logs (default <results>/slurm)");
  submit->add_option("--set", slurm.overrides, "Override a setting: dotted.key=value (TOML value); repeatable, passed to every task");

  auto* status = app.add_subcommand("status", "Each cell's state from the result files: done, failed (with the error), running, missing");
  std::string status_file;
  std::vector<std::string> status_sets;
  status->add_option("file", status_file, "Experiment TOML file")->required();
  status->add_option("--set", status_sets, "Override a setting: dotted.key=value (TOML value); repeatable");

  CLI11_PARSE(app, argc, argv);
  try {
    if (*plugins) return list_plugins(plugins_experiment);
    if (*synth) return data_synth(synth_out, synth_sets);
    if (*index) return steper::index_experiment(index_file, index_sets);
    if (*submit) return steper::submit_experiment(submit_file, slurm, submit_print);
    if (*status) {
      const auto cells = steper::read_grid_status(steper::Experiment::load(status_file, status_sets));
      std::fputs(steper::render_grid_status(cells).c_str(), stdout);
      return 0;
    }
    if (*inspect && std::filesystem::path(inspect_file).extension() == ".h5") {
      if (inspect->count("--cell") || !inspect_sets.empty())
        throw std::runtime_error("--cell and --set apply to experiment files, not to result file '" + inspect_file + "'");
      std::ostringstream shown;
      steper::inspect_result_file(inspect_file, inspect_question, shown);
      std::fputs(steper::printable(shown.str(), /*keep_lines=*/true).c_str(), stdout);
      return 0;
    }
    if (*inspect) return steper::inspect_experiment(inspect_file, inspect_sets, inspect_cell, inspect_question);
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
      for (const auto& compare : compares) spec.comparisons.push_back(steper::parse_comparison(compare));
      spec.compare_metric = compare_metric;
      spec.bootstrap_resamples = bootstrap;
      const bool with_predictions = !spec.comparisons.empty();
      std::fputs(steper::render_report(steper::collect_results(report_paths, with_predictions), spec).c_str(), stdout);
      return 0;
    }
    std::fputs(steper::doctor_report().c_str(), stdout);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "steper: error: %s\n", e.what());
    return kUsageError;
  }
}
