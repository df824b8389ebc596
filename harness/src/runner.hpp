// `steper run`: expands an experiment into cells, skips the ones already complete, runs the
// rest (in this process or as parallel child processes) and records each as complete or failed.
#pragma once

#include <string>
#include <vector>

namespace steper {

struct RunOptions {
  std::vector<std::string> overrides;  // --set key=value, in order
  std::vector<std::string> cell_ids;   // --cell: run only these (prefixes of ids are accepted)
  int shard_index = 0;                 // --shard I/N: run cells whose position % N == I
  int shard_count = 1;
  int jobs = 1;                        // --jobs: cells run as this many parallel processes
  bool dry_run = false;                // print the cells and their state; run nothing
  bool force = false;                  // recompute complete cells
};

// Returns the process exit code: 0 when every selected cell is complete, otherwise the number
// of failed cells (at most 100). Throws ConfigError / PluginError before any cell runs.
int run_experiment(const std::string& file, const RunOptions& options);

// `steper index`: builds the retrieval index of every distinct (dataset, retriever) of the
// experiment's cells into the cache, ahead of the runs. Returns the exit code.
int index_experiment(const std::string& file, const std::vector<std::string>& overrides);

// `steper inspect`: prints one training question's teacher trajectory and step-wise samples, of
// the cell whose id starts with `cell_id` (the grid's first cell when empty).
int inspect_experiment(const std::string& file, const std::vector<std::string>& overrides, const std::string& cell_id,
                       const std::string& question_id);

}  // namespace steper
