// Experiment files: parsing (with `base` inheritance and --set overrides), the grid, and
// the cells it expands to. Every value keeps the file, line and column it came from.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "steper/api.hpp"
#include "steper/settings.hpp"

namespace steper {

// The parsed experiment (toml++ tables plus provenance); defined in config_tree.hpp.
struct ConfigTree;
// The axes, extra cells and exclusions of [grid]; defined in config_grid.hpp.
struct Grid;
// What makes one cell's ConfigTree, built when first needed; defined in config.cpp.
class CellRecipe;

// One cell of the grid: the experiment with one value chosen for every grid axis.
class Cell {
 public:
  Cell(std::string id, std::vector<std::pair<std::string, std::string>> axes, std::shared_ptr<CellRecipe> recipe);
  // 16 hex digits: a stable hash of config_toml(), the same on every machine and run.
  const std::string& id() const { return id_; }
  // Grid axes as (dotted key, value as TOML text), in the order the grid declares them.
  const std::vector<std::pair<std::string, std::string>>& axes() const { return axes_; }
  // The cell's configuration as TOML text (grid values applied; [grid], `base` and
  // [experiment] removed: where results go is not part of what a cell computes).
  std::string config_toml() const;
  // A typed view of a top-level table ("retriever", "train", ...); empty when absent.
  // Views of one cell share their bookkeeping of read keys and resolved values.
  Settings settings(const std::string& table) const;
  // What the plugins and the core actually used: every key read, defaults included.
  std::string resolved_toml() const;
  // The top-level `seed` (0 when absent); recorded in resolved_toml() like any key read.
  std::uint64_t seed() const;
  // The same cell with its configuration not yet built and its own record of keys read: a
  // check of every cell of a large grid through copies frees each tree as it goes.
  Cell afresh() const;

 private:
  // The cell's tree, built on first use: a grid of a million cells holds only ids and axes
  // until its cells are run.
  const std::shared_ptr<ConfigTree>& tree() const;

  std::string id_;
  std::vector<std::pair<std::string, std::string>> axes_;
  std::shared_ptr<CellRecipe> recipe_;
};

class Experiment {
 public:
  // Parses `file`; follows `base = "other.toml"` (relative to the file; chains allowed,
  // cycles an error); applies `overrides`, each "dotted.key=value" with a TOML value (a bare
  // word is taken as a string). Throws ConfigError with file:line:column on any problem.
  static Experiment load(const std::string& file, const std::vector<std::string>& overrides = {});

  const std::string& file() const { return file_; }
  // [experiment] name, or the file name without its extension.
  std::string name() const;
  // The cartesian product of [grid], plus grid.include cells, minus grid.exclude matches,
  // in a deterministic order (axes in declaration order, values in list order).
  // A grid key that names no existing setting is fine (it adds one), but a grid value whose
  // type differs from the base value's type is a ConfigError at the grid entry.
  std::vector<Cell> cells() const;

 private:
  std::string file_;
  std::shared_ptr<ConfigTree> tree_;  // the configuration without [grid], overrides applied
  std::shared_ptr<const Grid> grid_;
};

}  // namespace steper
