#include "command.hpp"

namespace steper::commands {

void on_parsed(CLI::App& command, int& exit_code, std::function<int()> body) {
  command.callback([&exit_code, body = std::move(body)] { exit_code = body(); });
}

CLI::Option* add_set_option(CLI::App& command, std::vector<std::string>& overrides) {
  return command.add_option("--set", overrides, "Override a setting: dotted.key=value (TOML value); repeatable");
}

void add_experiment_args(CLI::App& command, ExperimentArgs& args) {
  command.add_option("file", args.file, "Experiment TOML file")->required();
  add_set_option(command, args.overrides);
}

}  // namespace steper::commands
