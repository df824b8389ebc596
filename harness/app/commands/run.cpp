// steper run FILE [--set ...] [--cell ID] [--shard I/N] [--jobs N] [--dry-run] [--force]
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

#include "command.hpp"
#include "runner.hpp"

namespace steper::commands {
namespace {

// "I/N" with 0 <= I < N into `options`; false when the text is not that.
bool parse_shard(const std::string& text, RunOptions& options) {
  const auto slash = text.find('/');
  try {
    if (slash == std::string::npos) return false;
    std::size_t used_index = 0, used_count = 0;
    options.shard_index = std::stoi(text.substr(0, slash), &used_index);
    options.shard_count = std::stoi(text.substr(slash + 1), &used_count);
    if (used_index != slash || used_count != text.size() - slash - 1) return false;
  } catch (const std::exception&) {
    return false;
  }
  return options.shard_count >= 1 && options.shard_index >= 0 && options.shard_index < options.shard_count;
}

}  // namespace

void add_run(CLI::App& app, int& exit_code) {
  auto* command = app.add_subcommand("run", "Run every cell of an experiment's grid (skipping complete ones)");
  struct Args {
    std::string file, shard;
    RunOptions options;
  };
  auto args = std::make_shared<Args>();
  command->add_option("file", args->file, "Experiment TOML file")->required();
  add_set_option(*command, args->options.overrides);
  command->add_flag("--dry-run", args->options.dry_run,
                    "Check every selected cell's settings, print the cells with their ids and state; run nothing");
  command->add_option("--cell", args->options.cell_ids, "Run only this cell (id or unique id prefix); repeatable");
  command->add_option("--shard", args->shard, "Run shard I of N (0-based): cells whose position modulo N is I");
  command->add_option("--jobs", args->options.jobs, "Run cells as this many parallel processes")
      ->check(CLI::Range(1, 256));
  command->add_flag("--force", args->options.force, "Recompute cells that are already complete");
  on_parsed(*command, exit_code, [args] {
    if (!args->shard.empty() && !parse_shard(args->shard, args->options)) {
      std::fprintf(stderr, "steper: error: --shard '%s': expected I/N with 0 <= I < N, e.g. 0/4\n", args->shard.c_str());
      return kUsageError;
    }
    return run_experiment(args->file, args->options);
  });
}

}  // namespace steper::commands
