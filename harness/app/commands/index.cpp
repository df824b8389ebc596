// steper index FILE [--set ...]: build the cells' retrieval indexes ahead of the runs.
#include <memory>
#include <string>
#include <vector>

#include "command.hpp"
#include "runner.hpp"

namespace steper::commands {

void add_index(CLI::App& app, int& exit_code) {
  auto* command = app.add_subcommand("index", "Build the retrieval indexes of an experiment's cells ahead of the runs");
  auto args = std::make_shared<ExperimentArgs>();
  add_experiment_args(*command, *args);
  on_parsed(*command, exit_code, [args] { return index_experiment(args->file, args->overrides); });
}

}  // namespace steper::commands
