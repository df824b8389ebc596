#include "runner.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <fmt/format.h>
#include <iostream>

#include "artifact_cache.hpp"
#include "cell_state.hpp"
#include "child_process.hpp"
#include "printable.hpp"
#include "file_lock.hpp"
#include "open_experiment.hpp"
#include "pipeline.hpp"
#include "compute_controls.hpp"
#include "result_writer.hpp"
#include "run_log.hpp"
#include "version.hpp"


namespace steper {
namespace fs = std::filesystem;
namespace {

std::vector<Cell> select_cells(const OpenExperiment& open, const RunOptions& options) {
  std::vector<Cell> chosen;
  for (const auto& wanted : options.cell_ids) chosen.push_back(open.cell(wanted));
  if (options.cell_ids.empty()) chosen = open.cells;
  std::vector<Cell> shard;
  for (std::size_t i = 0; i < chosen.size(); ++i)
    if (static_cast<int>(i % options.shard_count) == options.shard_index) shard.push_back(chosen[i]);
  return shard;
}

void check_writable(const fs::path& folder) {
  std::error_code error;
  fs::create_directories(folder, error);
  const fs::path probe = folder / (".write-test-" + std::to_string(::getpid()));
  if (!error) {
    std::ofstream out(probe);
    if (!out) error = std::make_error_code(std::errc::permission_denied);
  }
  std::error_code ignored;
  fs::remove(probe, ignored);
  if (error) throw std::runtime_error("cannot write results folder '" + folder.string() + "': " + error.message());
}

std::string host_name() {
  char name[256] = {};
  ::gethostname(name, sizeof name - 1);
  return name;
}

// Removes temporary files of this cell left by crashed runs; only called under the cell's lock.
void remove_stale_temporaries(const fs::path& results, const std::string& cell_id) {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(results, error)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(cell_id + ".h5.", 0) == 0 && entry.path().extension() == ".tmp") fs::remove(entry.path(), error);
  }
}

// Runs one cell in this process under the cell's lock and commits its result file,
// complete or failed. Returns false when the cell failed or its file could not be written.
bool run_cell_here(const Cell& cell, std::int64_t grid_index, const std::string& experiment, const fs::path& results,
                   bool force, const PluginRegistry& registry, const ArtifactCache& cache, RunLog& log,
                   const CellProcess& process) {
  const std::string path = (results / (cell.id() + ".h5")).string();
  fs::create_directories(results / ".locks");
  const FileLock lock(cell_lock_path(results, cell.id()).string());
  if (!force && existing_result(cell, path).state == CellState::complete) {
    log.info(fmt::format("cell {} was completed by another process meanwhile", cell.id()));
    return true;
  }
  remove_stale_temporaries(results, cell.id());

  CellInfo info;
  info.experiment = experiment;
  info.cell_id = cell.id();
  info.config_toml = cell.config_toml();
  info.axes = cell.axes();
  info.code_version = code_version();
  info.host = host_name();
  info.seed = cell.seed();
  info.grid_index = grid_index;
  info.started_at = utc_now();
  log.set_prefix("[" + cell.id() + "] ");
  try {
    ResultWriter writer(path);
    // A log line that cannot be stored must not turn into a second error while handling the first.
    log.set_sink([&writer](const std::string& line) {
      try {
        writer.append_log_line(line);
      } catch (const std::exception&) {
      }
    });
    try {
      const RunSettings run = RunSettings::read(cell.settings("run"));
      set_compute_threads(run.threads);
      info.threads = compute_threads();
      log.info(fmt::format("cell {} started ({} threads)", cell.id(), info.threads));
      run_cell(cell, registry, cache, log, writer, info, process);
      info.status = "complete";
    } catch (const std::exception& e) {
      info.status = "failed";
      info.error = e.what();
      log.error(fmt::format("cell failed: {}", e.what()));
    }
    info.resolved_toml = cell.resolved_toml();
    info.finished_at = utc_now();
    log.set_sink({});
    // A forced recomputation that fails must not replace the complete result it was to redo.
    if (info.status == "failed" && force && existing_result(cell, path).state == CellState::complete) {
      const std::string failed_path = path + ".failed";
      writer.commit_to(info, failed_path);
      log.warn(fmt::format("kept the complete result {}; the failed recomputation is in {}", path, failed_path));
    } else {
      writer.commit(info);
      std::error_code ignored;  // the file of an earlier failed --force is stale once the cell completes
      if (info.status == "complete") fs::remove(path + ".failed", ignored);
    }
  } catch (const std::exception& e) {
    log.set_sink({});
    log.error(fmt::format("cell {}: cannot write its result file: {}", cell.id(), e.what()));
    info.status = "failed";
  }
  log.set_prefix("");
  return_freed_memory();
  return info.status == "complete";
}

// The command that runs one cell of `file` again, in a process of its own.
std::vector<std::string> cell_command(const std::string& file, const RunOptions& options, const Cell& cell) {
  std::vector<std::string> args = {"/proc/self/exe", "run", file, "--cell", cell.id(), "--jobs", "1"};
  for (const auto& set : options.overrides) args.insert(args.end(), {"--set", set});
  return args;
}

// A rank above 0 of a cell's data-parallel training: it trains its share of each batch and
// writes no result file (rank 0 does). Returns the exit code.
int run_as_training_rank(const std::vector<Cell>& cells, const ProcessGroupSettings& group,
                         const PluginRegistry& registry, const ArtifactCache& cache) {
  RunLog log;
  log.set_prefix(fmt::format("[rank {}] ", group.rank));
  if (cells.size() != 1) {
    log.error(fmt::format("a training rank runs exactly one cell (--cell ID); {} are selected", cells.size()));
    return 1;
  }
  const Cell& cell = cells.front();
  try {
    set_compute_threads(RunSettings::read(cell.settings("run")).threads);
    // The rank's result writer is never committed: destroying it removes its file.
    const fs::path scratch = fs::path(cache.root()) / "scratch" / cell.id();
    fs::create_directories(scratch);
    ResultWriter writer((scratch / fmt::format("rank{}.h5", group.rank)).string());
    CellInfo info;
    run_cell(cell, registry, cache, log, writer, info, CellProcess{{}, group});
  } catch (const std::exception& e) {
    log.error(fmt::format("cell {}: {}", cell.id(), e.what()));
    return 1;
  }
  return 0;
}

// Runs cells as child processes `steper run FILE --cell ID`, at most `jobs` at once; each
// child's output goes to <results>/<id>.log. Returns the ids of cells whose process failed.
std::set<std::string> run_cells_as_processes(const std::vector<const Cell*>& cells, const std::string& file,
                                             const RunOptions& options, const fs::path& results, RunLog& log) {
  std::map<pid_t, const Cell*> running;
  std::set<std::string> failed;
  const std::vector<std::string> environment = environment_without({});
  std::size_t next = 0;
  while (next < cells.size() || !running.empty()) {
    while (next < cells.size() && static_cast<int>(running.size()) < options.jobs) {
      const Cell& cell = *cells[next++];
      ChildProcess child;
      child.argv = cell_command(file, options, cell);
      if (options.force) child.argv.push_back("--force");
      child.environment = environment;
      child.stdout_file = child.stderr_file = (results / (cell.id() + ".log")).string();
      child.death_signal = SIGKILL;  // a cell process dies with this run rather than racing a re-run
      const pid_t pid = start_child(child);
      if (pid < 0) {
        log.error(fmt::format("cannot start a process for cell {}: {}", cell.id(), std::strerror(errno)));
        failed.insert(cell.id());
        continue;
      }
      log.info(fmt::format("cell {} started as process {} (log: {})", cell.id(), pid, child.stdout_file));
      running[pid] = &cell;
    }
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, 0);
    if (pid < 0 && errno == EINTR) continue;
    if (pid < 0) throw std::runtime_error(std::string("waiting for cell processes: ") + std::strerror(errno));
    auto it = running.find(pid);
    if (it == running.end()) continue;
    const Cell& cell = *it->second;
    running.erase(it);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
      log.info(fmt::format("cell {} complete", cell.id()));
    } else {
      failed.insert(cell.id());
      log.error(fmt::format("cell {} failed ({}); see {}", cell.id(), describe_exit(status),
                            (results / (cell.id() + ".log")).string()));
    }
  }
  return failed;
}

}  // namespace

int run_experiment(const std::string& file, const RunOptions& options) {
  const std::optional<ProcessGroupSettings> group = process_group_from_environment();
  const bool training_rank = group && group->rank > 0;
  const OpenExperiment open = open_experiment(file, options.overrides);
  const std::vector<Cell>& all_cells = open.cells;
  const std::vector<Cell> cells = select_cells(open, options);
  const ExperimentSettings& settings = open.settings;
  const fs::path& results = open.results;
  RunLog log;

  std::vector<CellStatus> statuses;
  for (const auto& cell : cells) statuses.push_back(existing_result(cell, (results / (cell.id() + ".h5")).string()));
  const PluginRegistry registry = open.load_plugins();
  std::set<std::string> validated_tables;
  for (const auto& cell : cells) {
    const Cell checked = cell.afresh();
    ExperimentSettings::read(checked.settings("experiment"), open.experiment.name());
    validate_cell(checked, registry, log, validated_tables);
  }
  if (options.dry_run) {  // after validation: a dry run catches a typo before a long run or a submission
    std::printf("%s: %zu cells (%zu selected), results in %s\n", file.c_str(), all_cells.size(), cells.size(),
                results.string().c_str());
    for (std::size_t i = 0; i < cells.size(); ++i) {
      std::string axes;
      for (const auto& [key, value] : cells[i].axes()) axes += " " + key + "=" + value;
      std::printf("%s  %-10s%s\n", cells[i].id().c_str(), to_string(statuses[i].state), axes.c_str());
    }
    return 0;
  }

  std::vector<const Cell*> to_run;
  int failed = 0, skipped = 0;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const CellStatus& status = statuses[i];
    if (status.state == CellState::complete && !options.force) {
      ++skipped;
    } else if (status.state == CellState::unreadable && !options.force) {
      log.error(fmt::format("cell {}: {}; remove the file or run with --force to recompute it", cells[i].id(),
                            status.detail));
      ++failed;
    } else {
      to_run.push_back(&cells[i]);
    }
  }
  log.info(fmt::format("{}: {} cells selected, {} already complete, {} to run{}", file, cells.size(), skipped,
                       to_run.size(), options.jobs > 1 ? fmt::format(" in {} processes", options.jobs) : ""));
  if (!to_run.empty()) check_writable(results);  // a read-only folder of complete results is fine

  const ArtifactCache cache(settings.cache_dir);
  if (training_rank) return run_as_training_rank(cells, *group, registry, cache);
  if (options.jobs > 1) {
    failed += static_cast<int>(run_cells_as_processes(to_run, file, options, results, log).size());
  } else {
    std::map<std::string, std::int64_t> grid_index;
    for (std::size_t i = 0; i < all_cells.size(); ++i) grid_index[all_cells[i].id()] = static_cast<std::int64_t>(i);
    for (const Cell* cell : to_run)
      if (!run_cell_here(*cell, grid_index[cell->id()], settings.name, results, options.force, registry, cache, log,
                         CellProcess{cell_command(file, options, *cell), group}))
        ++failed;
  }
  log.info(fmt::format("{} cells: {} complete, {} failed; results in {}", cells.size(),
                       static_cast<int>(cells.size()) - failed, failed, results.string()));
  return std::min(failed, 100);
}

int index_experiment(const std::string& file, const std::vector<std::string>& overrides) {
  const OpenExperiment open = open_experiment(file, overrides);
  const PluginRegistry registry = open.load_plugins();
  const ArtifactCache cache(open.settings.cache_dir);
  RunLog log;
  std::set<std::string> done;
  for (const auto& cell : open.cells) {
    const std::string inputs = cell.settings("dataset").to_toml() + cell.settings("retriever").to_toml();
    if (done.insert(inputs).second) build_index(cell, registry, cache, log);
  }
  log.info(fmt::format("{}: {} distinct indexes ready in {}", file, done.size(), open.settings.cache_dir));
  return 0;
}

int inspect_experiment(const std::string& file, const std::vector<std::string>& overrides, const std::string& cell_id,
                       const std::string& question_id) {
  const OpenExperiment open = open_experiment(file, overrides);
  const Cell& cell = cell_id.empty() ? open.cells.front() : open.cell(cell_id);
  const ExperimentSettings settings = ExperimentSettings::read(cell.settings("experiment"), open.experiment.name());
  const PluginRegistry registry(plugin_search_path(settings.plugin_path));  // the chosen cell's plugin_path
  RunLog log;
  std::ostringstream shown;
  inspect_question(cell, registry, ArtifactCache(settings.cache_dir), log, question_id, shown);
  std::fputs(printable(shown.str(), /*keep_lines=*/true).c_str(), stdout);
  return 0;
}

}  // namespace steper
