// steper status FILE [--set ...]: each cell's state from its result file.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "command.hpp"
#include "grid_status.hpp"
#include "open_experiment.hpp"

namespace steper::commands {

void add_status(CLI::App& app, int& exit_code) {
  auto* command = app.add_subcommand(
      "status", "Each cell's state from the result files: done, failed (with the error), running, missing");
  auto args = std::make_shared<ExperimentArgs>();
  add_experiment_args(*command, *args);
  on_parsed(*command, exit_code, [args] {
    const auto cells = read_grid_status(open_experiment(args->file, args->overrides));
    std::fputs(render_grid_status(cells).c_str(), stdout);
    return 0;
  });
}

}  // namespace steper::commands
