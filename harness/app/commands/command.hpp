// The `steper` commands. Each adds its subcommand, its options and its callback to the app; the
// table in main.cpp lists them. A command's callback returns the process's exit code.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace steper::commands {

// Exit codes: 0 all done; 1-100 the number of failed cells; above 100 nothing could start
// (101 here, 105-114 CLI11's codes for bad command-line arguments).
inline constexpr int kUsageError = 101;

using AddCommand = void (*)(CLI::App& app, int& exit_code);

void add_plugins(CLI::App& app, int& exit_code);
void add_run(CLI::App& app, int& exit_code);
void add_status(CLI::App& app, int& exit_code);
void add_report(CLI::App& app, int& exit_code);
void add_index(CLI::App& app, int& exit_code);
void add_inspect(CLI::App& app, int& exit_code);
void add_submit(CLI::App& app, int& exit_code);
void add_data(CLI::App& app, int& exit_code);
void add_doctor(CLI::App& app, int& exit_code);

// Makes `body` the callback of `command`: its return value becomes `exit_code`.
void on_parsed(CLI::App& command, int& exit_code, std::function<int()> body);

// The `--set dotted.key=value` option, the same for every command that takes an experiment file.
CLI::Option* add_set_option(CLI::App& command, std::vector<std::string>& overrides);

// An experiment file and its --set overrides, as status and index take them.
struct ExperimentArgs {
  std::string file;
  std::vector<std::string> overrides;
};
void add_experiment_args(CLI::App& command, ExperimentArgs& args);

}  // namespace steper::commands
