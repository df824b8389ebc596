// `steper submit FILE --slurm`: one Slurm job array over the cells that are not complete,
// one cell per array task, each task running `steper run FILE --cell ID`.
#pragma once

#include <string>
#include <vector>

namespace steper {

// The command-line options, as typed (checked by check_slurm_options); empty: not given.
struct SlurmOptions {
  std::string partition;                  // --partition
  std::string time;                       // --time, in Slurm's formats (M, H:M:S, D-H:M, ...)
  std::string cpus;                       // --cpus: CPUs per task
  std::string gpus;                       // --gpus: [type:]count per task
  std::string mem;                        // --mem: memory per task, e.g. 16G
  std::string max_parallel;               // --max-parallel: at most this many tasks at once (%K)
  std::vector<std::string> sbatch_lines;  // --sbatch-line: extra "#SBATCH ..." options
  std::string output_dir;                 // --output-dir: Slurm logs (default <results>/slurm)
  std::vector<std::string> overrides;     // --set, passed on to every task's `steper run`
};

// Seconds before the time limit at which Slurm signals a task so that it requeues itself.
inline constexpr int kRequeueWarningSeconds = 120;

// Throws std::invalid_argument naming the option, the value and what was expected.
void check_slurm_options(const SlurmOptions& options);

// What the script runs and where; every path absolute.
struct SlurmJob {
  std::string steper;            // the steper executable
  std::string experiment_file;
  std::string work_dir;          // where results_dir and cache_dir are relative to
  std::string job_name;
  std::string log_dir;
  std::vector<std::string> cell_ids;  // array task i runs cell_ids[i]
};

// The sbatch script for `job` (options already checked).
std::string sbatch_script(const SlurmJob& job, const SlurmOptions& options);

// The text as one word for bash: in single quotes, each ' written as '\''.
std::string shell_quote(const std::string& text);

// Writes the script for the cells of FILE that need a run and submits it with `sbatch
// --parsable` (prints the job id), or prints it when `print_only`. Returns the exit code.
int submit_experiment(const std::string& file, const SlurmOptions& options, bool print_only);

}  // namespace steper
