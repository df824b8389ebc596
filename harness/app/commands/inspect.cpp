// steper inspect FILE --question ID: a training question's trajectory and step-wise samples (FILE
// an experiment), or the trajectories a result file stores for a question (FILE a .h5).
#include <cstdio>
#include <filesystem>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "command.hpp"
#include "printable.hpp"
#include "result_inspect.hpp"
#include "runner.hpp"

namespace steper::commands {

void add_inspect(CLI::App& app, int& exit_code) {
  auto* command = app.add_subcommand(
      "inspect", "Print a training question's teacher trajectory and its step-wise samples, or the trajectories a "
                 "result file (.h5) stores for a question");
  struct Args {
    std::string file, question;
    std::string cell;
    std::vector<std::string> overrides;
  };
  auto args = std::make_shared<Args>();
  command->add_option("file", args->file, "Experiment TOML file, or a cell's result file (.h5)")->required();
  command->add_option("--question", args->question, "Id of a training question (of any question in a result file)")
      ->required();
  auto* cell = command->add_option("--cell", args->cell, "The cell (id or unique id prefix, as `run --cell`; default: the grid's first)");
  add_set_option(*command, args->overrides);
  on_parsed(*command, exit_code, [args, cell] {
    if (std::filesystem::path(args->file).extension() != ".h5")
      return inspect_experiment(args->file, args->overrides, args->cell, args->question);
    if (cell->count() > 0 || !args->overrides.empty())
      throw std::runtime_error("--cell and --set apply to experiment files, not to result file '" + args->file + "'");
    std::ostringstream shown;
    inspect_result_file(args->file, args->question, shown);
    std::fputs(printable(shown.str(), /*keep_lines=*/true).c_str(), stdout);
    return 0;
  });
}

}  // namespace steper::commands
