// `steper status`: the state of every cell of a grid, read from its result files and cell
// locks; also what `steper submit` uses to pick the cells that still need a task.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace steper {

struct OpenExperiment;

enum class GridCellState { done, failed, running, missing };

const char* to_string(GridCellState state);

struct GridCell {
  std::string id;
  std::vector<std::pair<std::string, std::string>> axes;  // grid key, value as TOML text
  GridCellState state = GridCellState::missing;
  std::string detail;      // the recorded error, or why the file does not count
  bool needs_run = false;  // missing or failed, and a `steper run --cell` could fix it
};

struct GridStatus {
  std::string experiment;              // [experiment] name
  std::filesystem::path results;       // <results_dir>/<name>
  std::vector<GridCell> cells;         // in grid order
};

// Every cell's state, from the result files and cell locks of the experiment's results folder.
GridStatus read_grid_status(const OpenExperiment& experiment);

// The table of cells (id, state, one column per grid key, error) and a summary line.
std::string render_grid_status(const GridStatus& status);

}  // namespace steper
