// Reading and checking [grid]; the expansion into cells is in config.cpp.
#include "config_grid.hpp"

#include <algorithm>
#include <limits>

#include "config_schema.hpp"
#include "config_text.hpp"
#include "config_toml.hpp"
#include "plugin_tables.hpp"

namespace steper {
namespace {

Assignment make_assignment(const std::string& key, const std::string& origin_path, const toml::node& value) {
  Assignment assignment{key, origin_path, {}};
  assignment.holder.push_back(value);
  return assignment;
}

std::int64_t declared_order(const ConfigTree& tree, const std::string& origin_path) {
  auto it = tree.origins.find(origin_path);
  return it == tree.origins.end() ? std::numeric_limits<std::int64_t>::max() : it->second.order;
}

void sort_axes(Grid& grid, const ConfigTree& tree) {
  std::stable_sort(grid.axes.begin(), grid.axes.end(), [&](const GridAxis& a, const GridAxis& b) {
    return declared_order(tree, "grid." + a.key) < declared_order(tree, "grid." + b.key);
  });
}

void set_axis(Grid& grid, const std::string& key, const toml::node& node, const ConfigTree& tree, bool replace) {
  const std::string path = "grid." + key;
  const toml::array* values = node.as_array();
  if (!values)
    throw_config_error(tree.location(path),
                       "grid entry '" + key + "' must be an array of values, found " + describe(node));
  if (values->empty()) throw_config_error(tree.location(path), "grid entry '" + key + "' has no values");
  GridAxis axis{key, {}};
  for (std::size_t i = 0; i < values->size(); ++i)
    axis.values.push_back(make_assignment(key, path + "[" + std::to_string(i) + "]", *values->get(i)));
  auto existing = std::find_if(grid.axes.begin(), grid.axes.end(), [&](const GridAxis& a) { return a.key == key; });
  if (existing == grid.axes.end()) {
    grid.axes.push_back(std::move(axis));
  } else {
    if (!replace) throw_config_error(tree.location(path), "grid axis '" + key + "' is declared twice");
    *existing = std::move(axis);
  }
}

void add_axes(Grid& grid, const std::string& key, const toml::node& node, const ConfigTree& tree, bool replace) {
  if (const toml::table* table = node.as_table()) {
    for (const auto& [child_key, child] : *table) add_axes(grid, join_key(key, child_key.str()), child, tree, replace);
  } else {
    set_axis(grid, key, node, tree, replace);
  }
}

void flatten(const toml::table& table, const std::string& prefix, const std::string& origin_prefix,
             std::vector<Assignment>& out) {
  for (const auto& [key, value] : table) {
    const std::string dotted = join_key(prefix, key.str());
    if (const toml::table* inner = value.as_table())
      flatten(*inner, dotted, origin_prefix, out);
    else
      out.push_back(make_assignment(dotted, origin_prefix + "." + dotted, value));
  }
}

// grid.include or grid.exclude: an array of inline tables of dotted key -> value.
std::vector<std::vector<Assignment>> read_cell_list(const toml::node& node, const std::string& path,
                                                    const ConfigTree& tree) {
  const toml::array* list = node.as_array();
  if (!list)
    throw_config_error(tree.location(path), "key '" + path + "' must be an array of inline tables such as " +
                                                "[{ seed = 4, \"loss.name\" = \"steper\" }], found " + describe(node));
  std::vector<std::vector<Assignment>> cells;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string entry_path = path + "[" + std::to_string(i) + "]";
    const toml::table* entry = list->get(i)->as_table();
    if (!entry)
      throw_config_error(tree.location(entry_path),
                         "'" + entry_path + "' must be an inline table, found " + describe(*list->get(i)));
    if (entry->empty()) throw_config_error(tree.location(entry_path), "'" + entry_path + "' sets no key");
    std::vector<Assignment> cell;
    flatten(*entry, "", entry_path, cell);
    std::stable_sort(cell.begin(), cell.end(), [&](const Assignment& a, const Assignment& b) {
      return declared_order(tree, a.origin_path) < declared_order(tree, b.origin_path);
    });
    cells.push_back(std::move(cell));
  }
  return cells;
}

void check_grid_key(const std::string& key, const SourceLocation& where) {
  const std::string top = split_key(key).front();
  if (!is_top_level_key(top) || top == "base" || top == "grid")
    throw_config_error(
        where, "grid key '" + key + "' names no setting ('" + top + "' is not a top-level key of an experiment)");
  if (key == top && is_top_level_table(top) && !is_plugin_table(top))
    throw_config_error(where, "grid key '" + key + "' names the whole table [" + key +
                                  "]; vary keys inside it (only plugin tables such as [loss] vary whole)");
}

void check_value(Assignment& assignment, const ConfigTree& tree) {
  const SourceLocation where = tree.location(assignment.origin_path);
  check_key_inside_tables(tree.config, assignment.key, where);
  const toml::node* setting = node_at(tree.config, assignment.key);
  const toml::node& value = assignment.value();
  if (is_plugin_table(assignment.key) && !value.is_table())
    throw_config_error(where, "grid value for the whole table [" + assignment.key + "] is " + describe(value) +
                                  "; expected an inline table naming its plugin, e.g. { name = \"steper\", init = 0.5 }");
  if (!setting || setting->type() == value.type()) return;
  if (setting->is_floating_point() && value.is_integer()) {
    const double as_float = static_cast<double>(*value.value<std::int64_t>());
    assignment.holder.clear();
    assignment.holder.push_back(as_float);
    return;
  }
  throw_config_error(where, "grid value for '" + assignment.key + "' is " + describe(value) + ", but the setting is " +
                                describe(*setting));
}

}  // namespace

Grid take_grid(ConfigTree& tree) {
  Grid grid;
  const toml::node* node = tree.config.get("grid");
  if (!node) return grid;
  for (const auto& [key, value] : *node->as_table()) {
    const std::string name(key.str());
    if (name == "include")
      grid.include = read_cell_list(value, "grid.include", tree);
    else if (name == "exclude")
      grid.exclude = read_cell_list(value, "grid.exclude", tree);
    else
      add_axes(grid, name, value, tree, /*replace=*/false);
  }
  sort_axes(grid, tree);
  tree.config.erase("grid");
  return grid;
}

void override_grid(Grid& grid, const Override& override, const ConfigTree& tree) {
  const std::string key = override.key.substr(std::string("grid.").size());
  if (key == "include")
    grid.include = read_cell_list(override.value(), override.key, tree);
  else if (key == "exclude")
    grid.exclude = read_cell_list(override.value(), override.key, tree);
  else
    add_axes(grid, key, override.value(), tree, /*replace=*/true);
  sort_axes(grid, tree);
}

void check_override_against_grid(const Grid& grid, const Override& override) {
  for (const auto& axis : grid.axes) {
    if (override.key == axis.key)
      throw_config_error(override.where,
                         "'" + axis.key + "' is a grid axis; use --set grid." + axis.key + "=[...] instead");
    if (key_within(axis.key, override.key) || key_within(override.key, axis.key))
      throw_config_error(override.where, "'" + override.key + "' overlaps the grid axis '" + axis.key +
                                             "'; use --set grid." + axis.key + "=[...] instead");
  }
}

void check_grid(Grid& grid, const ConfigTree& tree) {
  for (auto& axis : grid.axes) {
    check_grid_key(axis.key, tree.location("grid." + axis.key));
    for (auto& value : axis.values) check_value(value, tree);
  }
  // A whole-table axis beside an axis inside that table: each cell would take the table from
  // one and overwrite or lose the other, and cells that come out the same would merge.
  for (std::size_t i = 0; i < grid.axes.size(); ++i)
    for (std::size_t j = i + 1; j < grid.axes.size(); ++j)
      if (key_within(grid.axes[i].key, grid.axes[j].key) || key_within(grid.axes[j].key, grid.axes[i].key))
        throw_config_error(tree.location("grid." + grid.axes[j].key),
                           "grid axes '" + grid.axes[i].key + "' and '" + grid.axes[j].key +
                               "' overlap; vary the whole table or keys inside it, not both");
  // Each cell is hashed and held while the grid is listed: bound them before any is made.
  std::size_t cells = 1;
  for (const auto& axis : grid.axes)
    if (cells <= kMaxGridCells) cells *= axis.values.size();
  cells += grid.include.size();
  if (cells > kMaxGridCells)
    throw_config_error(tree.location("grid"), "the grid makes more than " + std::to_string(kMaxGridCells) +
                                                  " cells; split it into several experiment files");
  for (auto* cells : {&grid.include, &grid.exclude}) {
    for (auto& cell : *cells) {
      for (auto& assignment : cell) {
        check_grid_key(assignment.key, tree.location(assignment.origin_path));
        check_value(assignment, tree);
      }
    }
  }
}

}  // namespace steper
