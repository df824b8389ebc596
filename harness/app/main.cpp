// The `steper` command line: the table of commands (each in commands/), parsed once.
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>

#include "commands/command.hpp"
#include "compute_controls.hpp"
#include "printable.hpp"

namespace {

using namespace steper::commands;

constexpr AddCommand kCommands[] = {add_plugins, add_run,    add_status, add_report, add_index,
                                    add_inspect, add_submit, add_data,   add_doctor};

// No command's callback has run (a parse without one is refused by CLI11 before this shows).
constexpr int kNoCommandRan = -1;

}  // namespace

int main(int argc, char** argv) {
  steper::reuse_freed_memory();
  CLI::App app{"steper: step-wise knowledge distillation experiments for multi-step retrieval-augmented LMs"};
  app.require_subcommand(1);
  int exit_code = kNoCommandRan;
  for (const AddCommand add : kCommands) add(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "steper: error: %s\n", steper::printable(e.what(), /*keep_lines=*/true).c_str());
    return kUsageError;
  }
  if (exit_code == kNoCommandRan) {
    std::fprintf(stderr, "steper: error: no command ran; see steper --help\n");
    return kUsageError;
  }
  return exit_code;
}
