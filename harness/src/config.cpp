// Experiment loading in order (files, schema, grid, overrides) and the expansion into cells.
#include "config.hpp"

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <set>

#include "config_grid.hpp"
#include "config_load.hpp"
#include "config_schema.hpp"
#include "config_text.hpp"
#include "config_toml.hpp"
#include "config_tree.hpp"
#include "plugin_tables.hpp"
#include "steper/fingerprint.hpp"

namespace steper {
namespace {

// [experiment] only says where results go and how they are labelled: renaming an experiment
// or moving its folders must not change what its cells compute, so it is not part of a cell.
std::string identity_text(const toml::table& config) {
  toml::table cell = config;
  cell.erase("experiment");
  return to_toml_text(cell);
}

void apply_override(ConfigTree& tree, Grid& grid, const Override& override) {
  if (override.key == "base")
    throw_config_error(override.where, "'base' cannot be set with --set (base files are read before overrides apply)");
  if (override.key == "grid")
    throw_config_error(override.where,
                       "--set cannot replace the whole grid; set one entry, e.g. --set grid.seed=[1,2]");
  if (key_within(override.key, "grid")) return override_grid(grid, override, tree);
  check_override_against_grid(grid, override);
  check_key_inside_tables(tree.config, override.key, override.where);
  set_at(tree.config, override.key, override.value());
}

bool matches(const toml::table& config, const std::vector<Assignment>& pattern) {
  return std::all_of(pattern.begin(), pattern.end(), [&](const Assignment& a) {
    const toml::node* node = node_at(config, a.key);
    return node && value_text(*node) == value_text(a.value());
  });
}

bool excluded(const toml::table& config, const Grid& grid) {
  return std::any_of(grid.exclude.begin(), grid.exclude.end(),
                     [&](const std::vector<Assignment>& pattern) { return matches(config, pattern); });
}

// The base configuration with the `chosen` grid values applied.
std::shared_ptr<ConfigTree> cell_tree(const ConfigTree& base, const std::vector<const Assignment*>& chosen) {
  auto tree = std::make_shared<ConfigTree>();
  tree->file = base.file;
  tree->config = base.config;
  tree->origins = base.origins;
  for (const Assignment* assignment : chosen) {
    // A whole plugin table from the grid replaces the table: its keys belong to the plugin it names.
    if (is_plugin_table(assignment->key)) tree->config.erase(assignment->key);
    const auto parts = split_key(assignment->key);
    if (parts.size() == 2 && parts[1] == "name" && is_plugin_table(parts[0])) tree->grid_named_plugins.insert(parts[0]);
    set_at(tree->config, assignment->key, assignment->value());
    copy_origins(tree->origins, assignment->origin_path, assignment->key);
    record_enclosing_origins(tree->origins, assignment->key, tree->origins.at(assignment->key));
  }
  check_top_level(*tree);
  return tree;
}

// Every grid axis, then the keys an include cell sets that are no axis.
std::vector<std::pair<std::string, std::string>> cell_axes(const toml::table& config, const Grid& grid,
                                                           const std::vector<const Assignment*>& chosen) {
  std::vector<std::pair<std::string, std::string>> axes;
  auto add_axis = [&](const std::string& key) {
    if (const toml::node* node = node_at(config, key)) axes.emplace_back(key, value_text(*node));
  };
  for (const auto& axis : grid.axes) add_axis(axis.key);
  for (const Assignment* assignment : chosen) {
    auto is_axis = [&](const GridAxis& axis) { return axis.key == assignment->key; };
    if (std::none_of(grid.axes.begin(), grid.axes.end(), is_axis)) add_axis(assignment->key);
  }
  return axes;
}

}  // namespace

class CellRecipe {
 public:
  CellRecipe(std::shared_ptr<const ConfigTree> base, std::shared_ptr<const Grid> grid,
             std::vector<const Assignment*> chosen)
      : base_(std::move(base)), grid_(std::move(grid)), chosen_(std::move(chosen)) {}

  const std::shared_ptr<ConfigTree>& tree() {
    std::call_once(built_, [this] { tree_ = cell_tree(*base_, chosen_); });
    return tree_;
  }
  std::shared_ptr<CellRecipe> unbuilt_copy() const { return std::make_shared<CellRecipe>(base_, grid_, chosen_); }

 private:
  std::shared_ptr<const ConfigTree> base_;
  std::shared_ptr<const Grid> grid_;  // owns the assignments chosen_ points to
  std::vector<const Assignment*> chosen_;
  std::once_flag built_;
  std::shared_ptr<ConfigTree> tree_;
};

Cell::Cell(std::string id, std::vector<std::pair<std::string, std::string>> axes, std::shared_ptr<CellRecipe> recipe)
    : id_(std::move(id)), axes_(std::move(axes)), recipe_(std::move(recipe)) {}

const std::shared_ptr<ConfigTree>& Cell::tree() const { return recipe_->tree(); }

Cell Cell::afresh() const { return Cell(id_, axes_, recipe_->unbuilt_copy()); }

std::string Cell::config_toml() const { return identity_text(tree()->config); }

Settings Cell::settings(const std::string& table) const {
  return Settings(std::make_shared<Settings::Impl>(Settings::Impl{tree(), table}));
}

std::string Cell::resolved_toml() const { return to_toml_text(tree()->resolved); }

std::uint64_t Cell::seed() const {
  ConfigTree& tree = *this->tree();
  const toml::node* seed = tree.config.get("seed");
  const std::int64_t value = seed ? *seed->value<std::int64_t>() : 0;  // the schema made it an integer >= 0
  const toml::value<std::int64_t> used(value);
  tree.record_read("seed", &used);
  return static_cast<std::uint64_t>(value);
}

Experiment Experiment::load(const std::string& file, const std::vector<std::string>& overrides) {
  auto tree = std::make_shared<ConfigTree>();
  tree->file = file;
  const std::int64_t files = load_experiment_files(file, *tree);
  check_top_level(*tree);
  auto grid = std::make_shared<Grid>(take_grid(*tree));
  for (std::size_t i = 0; i < overrides.size(); ++i) {
    const int index = static_cast<int>(i);
    apply_override(*tree, *grid, parse_override(overrides[i], index, files + index, tree->origins));
  }
  check_top_level(*tree);
  check_grid(*grid, *tree);

  Experiment experiment;
  experiment.file_ = file;
  experiment.tree_ = std::move(tree);
  experiment.grid_ = std::move(grid);
  return experiment;
}

std::string Experiment::name() const {
  if (const toml::node* name = node_at(tree_->config, "experiment.name")) return *name->value<std::string>();
  return std::filesystem::path(file_).stem().string();
}

std::vector<Cell> Experiment::cells() const {
  std::vector<Cell> cells;
  std::set<std::string> ids;
  auto add = [&](const std::vector<const Assignment*>& chosen) {
    const auto tree = cell_tree(*tree_, chosen);  // for the id and the checks; rebuilt when used
    if (excluded(tree->config, *grid_)) return;
    std::string id = stable_hash(identity_text(tree->config));
    if (!ids.insert(id).second) return;
    auto axes = cell_axes(tree->config, *grid_, chosen);
    cells.emplace_back(std::move(id), std::move(axes), std::make_shared<CellRecipe>(tree_, grid_, chosen));
  };

  // The cartesian product, counted like an odometer whose last axis turns fastest.
  std::vector<std::size_t> position(grid_->axes.size(), 0);
  while (true) {
    std::vector<const Assignment*> chosen;
    for (std::size_t axis = 0; axis < position.size(); ++axis)
      chosen.push_back(&grid_->axes[axis].values[position[axis]]);
    add(chosen);
    std::size_t axis = position.size();
    while (axis > 0 && ++position[axis - 1] == grid_->axes[axis - 1].values.size()) position[--axis] = 0;
    if (axis == 0) break;
  }
  for (const auto& include : grid_->include) {
    std::vector<const Assignment*> chosen;
    for (const auto& assignment : include) chosen.push_back(&assignment);
    add(chosen);
  }
  if (cells.empty()) throw_config_error(tree_->location("grid.exclude"), "grid.exclude drops every cell of the grid");
  return cells;
}

}  // namespace steper
