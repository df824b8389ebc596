// steper submit FILE --slurm [--print] [...]: the cells not complete as a Slurm job array.
#include <memory>
#include <string>

#include "command.hpp"
#include "slurm_submit.hpp"

namespace steper::commands {

void add_submit(CLI::App& app, int& exit_code) {
  auto* command =
      app.add_subcommand("submit", "Submit the cells that are not complete as a Slurm job array, one cell per task");
  struct Args {
    std::string file;
    bool slurm = false, print = false;
    SlurmOptions options;
  };
  auto args = std::make_shared<Args>();
  auto& slurm = args->options;
  command->add_option("file", args->file, "Experiment TOML file")->required();
  command->add_flag("--slurm", args->slurm, "Submit with Slurm's sbatch (the one scheduler so far)")->required();
  command->add_flag("--print", args->print, "Print the sbatch script; submit nothing");
  command->add_option("--partition", slurm.partition, "Slurm partition");
  command->add_option("--time", slurm.time, "Time limit per task (Slurm format: M, H:M:S, D-H:M, ...; at least 5 minutes)");
  command->add_option("--cpus", slurm.cpus, "CPUs per task");
  command->add_option("--gpus", slurm.gpus, "GPUs per task: a count, or type:count");
  command->add_option("--mem", slurm.mem, "Memory per task, e.g. 16G");
  command->add_option("--max-parallel", slurm.max_parallel, "At most this many tasks at once (the %K of --array)");
  command->add_option("--sbatch-line", slurm.sbatch_lines,
                      "An extra sbatch option, as --sbatch-line=--account=abc or '#SBATCH --qos=low'; repeatable");
  command->add_option("--output-dir", slurm.output_dir, "Folder for the script and Slurm logs (default <results>/slurm)");
  add_set_option(*command, slurm.overrides)->description("Override a setting: dotted.key=value (TOML value); repeatable, passed to every task");
  on_parsed(*command, exit_code, [args] { return submit_experiment(args->file, args->options, args->print); });
}

}  // namespace steper::commands
