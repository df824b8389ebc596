#include "slurm_submit.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "child_process.hpp"
#include "grid_status.hpp"
#include "open_experiment.hpp"
#include "pipeline.hpp"
#include "run_log.hpp"


namespace steper {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void reject(const std::string& option, const std::string& value, const std::string& expected) {
  throw std::invalid_argument(fmt::format("{} '{}': expected {}", option, value, expected));
}

void check_positive(const std::string& option, const std::string& value) {
  if (!value.empty() && !std::regex_match(value, std::regex("[1-9][0-9]{0,8}")))
    reject(option, value, "a positive whole number");
}

// Slurm's time formats: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S. Returns seconds, or -1.
long time_seconds(const std::string& text) {
  std::smatch m;
  if (!std::regex_match(text, m, std::regex(R"((?:(\d{1,5})-)?(\d{1,7})(?::(\d{1,2}))?(?::(\d{1,2}))?)")))
    return -1;
  std::vector<long> parts;
  for (int i = 2; i <= 4; ++i)
    if (m[i].matched) parts.push_back(std::stol(m[i].str()));
  if (m[1].matched) {
    const long hours = std::stol(m[1].str()) * 24 + parts[0];
    return hours * 3600 + (parts.size() > 1 ? parts[1] * 60 : 0) + (parts.size() > 2 ? parts[2] : 0);
  }
  if (parts.size() == 1) return parts[0] * 60;
  if (parts.size() == 2) return parts[0] * 60 + parts[1];
  return parts[0] * 3600 + parts[1] * 60 + parts[2];
}

std::string trim(const std::string& text) {
  const auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t\r\n") - begin + 1);
}

// "--account=abc" or "#SBATCH --account=abc" -> "--account=abc".
std::string sbatch_option(const std::string& line) {
  std::string option = trim(line);
  if (option.rfind("#SBATCH", 0) == 0) option = trim(option.substr(7));
  for (const char c : option)
    if (std::iscntrl(static_cast<unsigned char>(c))) reject("--sbatch-line", line, "one line without control characters");
  if (option.empty() || option[0] != '-')
    reject("--sbatch-line", line, "an sbatch option such as '--account=abc' or '#SBATCH --qos=low'");
  if (option.rfind("--array", 0) == 0 || option.rfind("-a", 0) == 0 || option.rfind("--output", 0) == 0 ||
      option.rfind("-o", 0) == 0)
    reject("--sbatch-line", line, "an option other than --array and --output, which `steper submit` sets itself");
  return option;
}

std::string utc_stamp() {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &parts);
  return text;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs `sbatch --parsable SCRIPT` and returns the job id it prints.
std::string run_sbatch(const std::string& script) {
  const std::string command = "sbatch --parsable " + script;
  const std::string out_path = script + ".stdout", err_path = script + ".stderr";
  ChildProcess child;
  child.argv = {"sbatch", "--parsable", script};
  child.environment = environment_without({});
  child.stdout_file = out_path;
  child.stderr_file = err_path;
  const pid_t pid = start_child(child);
  const int error = pid < 0 ? errno : 0;
  const int status = pid < 0 ? 0 : wait_child(pid);
  const std::string out = trim(read_text(out_path)), err = trim(read_text(err_path));
  std::error_code ignored;
  fs::remove(out_path, ignored);
  fs::remove(err_path, ignored);
  if (error == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 127 && out.empty())
    throw std::runtime_error(fmt::format("cannot run '{}': {} (is Slurm's client on PATH? Debian: apt-get install "
                                         "slurm-client); use --print to see the script",
                                         command, err.empty() ? "(no message on stderr)" : err));
  if (error != 0) throw std::runtime_error(fmt::format("cannot run '{}': {}", command, std::strerror(error)));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error(fmt::format("'{}' failed ({}): {}", command, describe_exit(status),
                                         err.empty() ? "(no message on stderr)" : err));
  // --parsable prints "id" or "id;cluster".
  const std::string id = trim(out.substr(0, out.find(';')));
  if (!std::regex_match(id, std::regex("[0-9]+")))
    throw std::runtime_error(fmt::format("'{}' printed no job id: '{}' (stderr: '{}')", command, out, err));
  return id;
}

}  // namespace

std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

void check_slurm_options(const SlurmOptions& options) {
  if (!options.partition.empty() && !std::regex_match(options.partition, std::regex("[A-Za-z0-9_.,-]+")))
    reject("--partition", options.partition, "a partition name (letters, digits, '_', '.', '-'; several with ',')");
  if (!options.time.empty()) {
    const long seconds = time_seconds(options.time);
    if (seconds < 0) reject("--time", options.time, "a Slurm time: M, M:S, H:M:S, D-H, D-H:M or D-H:M:S");
    if (seconds < 300)
      reject("--time", options.time,
             fmt::format("at least 5 minutes: a task is told to requeue itself {} s before its limit",
                         kRequeueWarningSeconds));
  }
  check_positive("--cpus", options.cpus);
  check_positive("--max-parallel", options.max_parallel);
  if (!options.gpus.empty() && !std::regex_match(options.gpus, std::regex("([A-Za-z0-9_.-]+:)?[1-9][0-9]{0,3}")))
    reject("--gpus", options.gpus, "a GPU count per task, optionally with a type: 2 or a100:2");
  if (!options.mem.empty() && !std::regex_match(options.mem, std::regex("[1-9][0-9]{0,9}[KMGT]?")))
    reject("--mem", options.mem, "memory per task: a number with an optional unit K, M, G or T, e.g. 16G");
  for (const auto& line : options.sbatch_lines) sbatch_option(line);
  for (const char c : options.output_dir)
    if (std::isspace(static_cast<unsigned char>(c)) || std::iscntrl(static_cast<unsigned char>(c)))
      reject("--output-dir", options.output_dir, "a folder without spaces or control characters (#SBATCH lines cannot quote)");
  for (const auto& set : options.overrides)
    if (set.find('\n') != std::string::npos) reject("--set", set, "a single line");
}

std::string sbatch_script(const SlurmJob& job, const SlurmOptions& options) {
  const std::size_t n = job.cell_ids.size();
  std::string s = "#!/bin/bash\n";
  s += "# Written by `steper submit`: a job array, one task per cell of the experiment that was not\n"
       "# complete when submitted; each task runs `steper run --cell` for its cell.\n";
  s += fmt::format("#SBATCH --job-name={}\n", job.job_name);
  s += fmt::format("#SBATCH --array=0-{}{}\n", n - 1, options.max_parallel.empty() ? "" : "%" + options.max_parallel);
  s += fmt::format("#SBATCH --output={}/%x-%A_%a.out\n", job.log_dir);
  s += "#SBATCH --open-mode=append\n";  // a requeued task adds to its log instead of replacing it
  s += "#SBATCH --requeue\n";
  s += fmt::format("#SBATCH --signal=B:USR1@{}\n", kRequeueWarningSeconds);
  if (!options.partition.empty()) s += fmt::format("#SBATCH --partition={}\n", options.partition);
  if (!options.time.empty()) s += fmt::format("#SBATCH --time={}\n", options.time);
  if (!options.cpus.empty()) s += fmt::format("#SBATCH --cpus-per-task={}\n", options.cpus);
  if (!options.gpus.empty()) s += fmt::format("#SBATCH --gpus={}\n", options.gpus);
  if (!options.mem.empty()) s += fmt::format("#SBATCH --mem={}\n", options.mem);
  for (const auto& line : options.sbatch_lines) s += "#SBATCH " + sbatch_option(line) + "\n";
  s += "set -uo pipefail\n\ncells=(\n";
  for (const auto& id : job.cell_ids) s += "  " + id + "\n";
  s += ")\n";
  s += "cell=${cells[${SLURM_ARRAY_TASK_ID:?not a Slurm array task}]:-}\n";
  s += "[ -n \"$cell\" ] || { echo \"steper submit: no cell for array task $SLURM_ARRAY_TASK_ID\" >&2; exit 1; }\n";
  s += fmt::format("cd {} || exit 1\n\n", shell_quote(job.work_dir));
  s += fmt::format(
      "# Slurm sends USR1 {} s before the time limit: requeue this task; its new run of the cell\n"
      "# resumes from the stage cache (and the trainer's checkpoint).\n",
      kRequeueWarningSeconds);
  s += "requeue() {\n"
       "  echo \"steper submit: time limit near: requeueing ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID} (cell $cell)\"\n"
       "  scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"\n"
       "}\n"
       "trap requeue USR1\n\n";
  s += fmt::format("{} run {} --cell \"$cell\"", shell_quote(job.steper), shell_quote(job.experiment_file));
  for (const auto& set : options.overrides) s += " --set " + shell_quote(set);
  s += " &\nchild=$!\n";
  s += "# `wait` returns early when the trap runs: wait until the cell's process has ended.\n";
  s += "while wait \"$child\"; status=$?; kill -0 \"$child\" 2>/dev/null; do :; done\n";
  s += "exit \"$status\"\n";
  return s;
}

int submit_experiment(const std::string& file, const SlurmOptions& options, bool print_only) {
  check_slurm_options(options);
  const std::string experiment_file = fs::absolute(file).lexically_normal().string();
  const OpenExperiment experiment = open_experiment(experiment_file, options.overrides);
  const GridStatus status = read_grid_status(experiment);
  RunLog log;

  SlurmJob job;
  std::set<std::string> chosen;
  int running = 0;
  for (const auto& cell : status.cells) {
    if (cell.needs_run) {
      job.cell_ids.push_back(cell.id);
      chosen.insert(cell.id);
    } else if (cell.state == GridCellState::running) {
      ++running;
    } else if (cell.state == GridCellState::failed) {
      log.warn(fmt::format("cell {} not submitted: {}", cell.id, cell.detail));
    }
  }
  if (running > 0) log.info(fmt::format("{} cells are running now and are not submitted again", running));
  if (job.cell_ids.empty()) {
    log.info(fmt::format("{}: nothing to submit: no cell of the {} needs a run (`steper status {}` lists them)", file,
                         status.cells.size(), file));
    return 0;
  }

  // Refuse unknown plugins and settings now rather than in every task.
  const PluginRegistry registry = experiment.load_plugins();
  std::set<std::string> validated;
  for (const auto& cell : experiment.cells)
    if (chosen.count(cell.id())) validate_cell(cell.afresh(), registry, log, validated);

  job.steper = fs::read_symlink("/proc/self/exe").string();
  job.experiment_file = experiment_file;
  job.work_dir = fs::current_path().string();
  job.job_name = "steper-" + std::regex_replace(status.experiment, std::regex("[^A-Za-z0-9_.-]"), "_");
  job.log_dir = options.output_dir.empty() ? (fs::absolute(status.results) / "slurm").lexically_normal().string()
                                           : fs::absolute(options.output_dir).lexically_normal().string();
  if (std::regex_search(job.log_dir, std::regex("[[:space:][:cntrl:]]")))
    throw std::invalid_argument(fmt::format("the Slurm log folder '{}' holds a space, which #SBATCH --output cannot "
                                            "quote; choose another with --output-dir",
                                            job.log_dir));
  const std::string script = sbatch_script(job, options);
  if (print_only) {
    std::fputs(script.c_str(), stdout);
    return 0;
  }

  std::error_code error;
  fs::create_directories(job.log_dir, error);
  if (error) throw std::runtime_error("cannot create the Slurm log folder '" + job.log_dir + "': " + error.message());
  const std::string script_path = fmt::format("{}/{}-{}-{}.sbatch", job.log_dir, job.job_name, utc_stamp(), ::getpid());
  if (!(std::ofstream(script_path) << script)) throw std::runtime_error("cannot write '" + script_path + "'");
  const std::string job_id = run_sbatch(script_path);
  std::printf("%s\n", job_id.c_str());
  log.info(fmt::format("submitted job array {}: {} cells (tasks 0-{}{}); script {}; Slurm logs in {}", job_id,
                       job.cell_ids.size(), job.cell_ids.size() - 1,
                       options.max_parallel.empty() ? "" : ", " + options.max_parallel + " at a time", script_path,
                       job.log_dir));
  return 0;
}

}  // namespace steper
