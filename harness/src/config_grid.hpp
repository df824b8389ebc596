// Internal: the [grid] table of an experiment: axes, extra cells and exclusions.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "config_load.hpp"
#include "config_tree.hpp"

namespace steper {

// The most cells one experiment's grid may make (a cluster's ablation grid is some thousands).
constexpr std::size_t kMaxGridCells = 100000;

// One dotted key set to one value.
struct Assignment {
  std::string key;          // e.g. "loss.name"
  std::string origin_path;  // where the value's origins are, e.g. "grid.loss.name[1]"
  toml::array holder;       // exactly one element: toml++ nodes are abstract, an array owns one
  const toml::node& value() const { return *holder.get(0); }
};

struct GridAxis {
  std::string key;
  std::vector<Assignment> values;  // in list order
};

struct Grid {
  std::vector<GridAxis> axes;                    // in declaration order; the first varies slowest
  std::vector<std::vector<Assignment>> include;  // extra cells: the base plus these values
  std::vector<std::vector<Assignment>> exclude;  // a cell matching all values of one is dropped
};

// Reads and removes tree.config's [grid]. Nested tables flatten to dotted keys, so
// `loss.name = [...]` and `"loss.name" = [...]` declare the same axis.
Grid take_grid(ConfigTree& tree);
// Applies an override of "grid.KEY" (an axis, or include / exclude).
void override_grid(Grid& grid, const Override& override, const ConfigTree& tree);
// Throws ConfigError when an override sets a grid axis, or a key above or below one.
void check_override_against_grid(const Grid& grid, const Override& override);
// Checks every grid key and value against tree.config; turns an integer into a float where
// the setting is a float.
void check_grid(Grid& grid, const ConfigTree& tree);

}  // namespace steper
