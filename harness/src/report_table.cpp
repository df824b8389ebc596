// `steper report`'s table: cells grouped into entries by their row and column values, rows in
// grid order (teacher rows first under a computed key), each entry averaged over seeds.
#include "report_table.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>
#include <stdexcept>

#include "config_toml.hpp"
#include "toml_depth.hpp"

namespace steper::report {
namespace {

double teacher_kept_percent(const Metrics& m) {
  return m.teacher_trajectories > 0 ? 100.0 * static_cast<double>(m.teacher_kept) / static_cast<double>(m.teacher_trajectories)
                                    : Metrics::kNaN;
}

constexpr MetricColumn kMetricColumns[] = {
    {"em", "EM", [](const Metrics& m) { return m.em; }},
    {"f1", "F1", [](const Metrics& m) { return m.f1; }},
    {"acc", "Acc", [](const Metrics& m) { return m.acc; }},
    {"init", "Init", [](const Metrics& m) { return m.ability_initialization; }},
    {"expand", "Expand", [](const Metrics& m) { return m.ability_expansion; }},
    {"aggr", "Aggr", [](const Metrics& m) { return m.ability_aggregation; }},
    {"steps", "Steps", [](const Metrics& m) { return m.steps_mean; }},
    {"kept", "Kept %", teacher_kept_percent},
    {"first", "First", [](const Metrics& m) { return static_cast<double>(m.samples_per_kind[0]); }},
    {"mid", "Mid", [](const Metrics& m) { return static_cast<double>(m.samples_per_kind[1]); }},
    {"final", "Final", [](const Metrics& m) { return static_cast<double>(m.samples_per_kind[2]); }},
    {"teacher_steps", "Teacher steps", [](const Metrics& m) { return m.teacher_steps_mean; }},
};

constexpr const char* kAbsent = "-";  // shown for a key a cell neither has as an axis nor sets

// A TOML value as a table shows it: strings without quotes, floats in their shortest exact form.
std::string show(const toml::node& node, bool quote_strings = false) {
  if (const auto* text = node.as_string()) return quote_strings ? "\"" + text->get() + "\"" : text->get();
  if (const auto* number = node.as_floating_point()) {
    std::string shown = fmt::format("{}", number->get());
    if (shown.find_first_of(".en") == std::string::npos) shown += ".0";
    return shown;
  }
  if (const auto* list = node.as_array()) {
    std::string shown = "[";
    for (const auto& element : *list) shown += (shown.size() > 1 ? ", " : "") + show(element, true);
    return shown + "]";
  }
  std::ostringstream shown;
  node.visit([&](const auto& value) { shown << value; });
  return shown.str();
}

Value value_of(const toml::node& node) {
  return {std::to_string(static_cast<int>(node.type())) + ":" + show(node, true), show(node)};
}

// A grid axis value as stored in the result file (TOML text).
Value axis_value(const std::string& toml_text) {
  try {
    const std::string assignment = "value = " + toml_text;
    check_toml_depth(assignment, "a grid axis value");
    const toml::table parsed = toml::parse(assignment);
    return value_of(*parsed.get("value"));
  } catch (const std::runtime_error&) {  // not TOML, or nested too deep: shown as stored
    return {toml_text, toml_text};
  }
}

void flatten(const toml::table& table, const std::string& prefix, FlatConfig& flat) {
  for (const auto& [key, node] : table) {
    const std::string dotted = join_key(prefix, key.str());
    if (const auto* sub_table = node.as_table()) {
      flatten(*sub_table, dotted, flat);
    } else {
      flat.emplace(dotted, value_of(node));
    }
  }
}

toml::table parse_config(const ResultFile& file, const std::string& text, const char* dataset) {
  check_toml_depth(text, "result file '" + file.path + "' " + dataset);
  try {
    return toml::parse(text);
  } catch (const toml::parse_error& error) {
    throw std::runtime_error("result file '" + file.path +
                             "' holds a configuration that is not valid TOML: " + std::string(error.description()) +
                             " (line " + std::to_string(error.source().begin.line) + " of " + dataset + ")");
  }
}

// The text of a string setting as the cell ran it ("" when unset).
std::string text_setting(const ResultCell& cell, const std::string& key) {
  for (const FlatConfig* config : {&cell.config, &cell.resolved}) {
    const auto found = config->find(key);
    if (found != config->end()) return found->second.shown;
  }
  return "";
}

// The row label of the paper's tables: "teacher" for a cell that evaluates the teacher, else
// the loss plugin's own `label` setting as the cell resolved it, else the loss's name. Teacher
// rows go first; the others stay in the order first seen, the grid's order.
Value method_label(const ResultCell& cell) {
  if (text_setting(cell, "eval.model") == "teacher") return {"teacher", "teacher", 0};
  std::string label = text_setting(cell, "loss.label");
  if (label.empty()) label = text_setting(cell, "loss.name");
  return {label, label, 1};
}

constexpr struct {
  const char* key;
  Value (*label)(const ResultCell&);
} kComputedKeys[] = {
    {"method", method_label},  // teacher, or each loss's label: vanilla-KD, fixed λ = (...), StepER
};

const auto* computed_key(const std::string& key) {
  const auto* found = std::find_if(std::begin(kComputedKeys), std::end(kComputedKeys),
                                   [&](const auto& computed) { return key == computed.key; });
  return found != std::end(kComputedKeys) ? found : nullptr;
}

Summary summarise(const std::vector<double>& values) {
  Summary summary;
  for (double value : values) summary.mean += value;
  summary.mean /= values.size();
  if (values.size() > 1) {
    double squares = 0;
    for (double value : values) squares += (value - summary.mean) * (value - summary.mean);
    summary.std = std::sqrt(squares / (values.size() - 1));
  }
  return summary;
}

std::vector<const MetricColumn*> metric_columns(const std::vector<std::string>& names) {
  std::vector<const MetricColumn*> columns;
  for (const auto& name : names) {
    const auto* found = std::find_if(std::begin(kMetricColumns), std::end(kMetricColumns),
                                     [&](const auto& column) { return name == column.name; });
    if (found == std::end(kMetricColumns)) {
      std::string known;
      for (const auto& column : kMetricColumns) known += std::string(known.empty() ? "" : ", ") + column.name;
      throw std::runtime_error("unknown metric '" + name + "' (expected one of " + known + ")");
    }
    columns.push_back(found);
  }
  return columns;
}

// Every grid axis in the results but the seed, in the first file's order, then any others.
std::vector<std::string> default_rows(const std::vector<ResultFile>& results, const std::string& seed_key) {
  std::vector<std::string> keys;
  for (const auto& result : results)
    for (const auto& [key, value] : result.info.axes)
      if (key != seed_key && std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
  return keys;
}

std::size_t index_of(std::vector<std::vector<Value>>& seen, const std::vector<Value>& values) {
  const auto found = std::find(seen.begin(), seen.end(), values);
  if (found != seen.end()) return found - seen.begin();
  seen.push_back(values);
  return seen.size() - 1;
}

std::vector<Value> values_of(const ResultCell& cell, const std::vector<std::string>& keys) {
  std::vector<Value> values;
  for (const auto& key : keys) values.push_back(lookup(cell, key));
  return values;
}

void check_keys_exist(const std::vector<ResultCell>& cells, const std::vector<std::string>& keys, const std::string& seed_key,
                      const std::vector<ResultFile>& results) {
  for (const auto& key : keys) {
    if (computed_key(key)) continue;
    const bool anywhere = std::any_of(cells.begin(), cells.end(),
                                      [&](const ResultCell& cell) { return lookup(cell, key).identity != kAbsent; });
    if (anywhere || cells.empty()) continue;
    const std::string axes = join(default_rows(results, seed_key), ", ");
    throw std::runtime_error("no result has a grid axis or setting '" + key +
                             "' (grid axes found: " + (axes.empty() ? "none" : axes) +
                             "; computed from every cell: method)");
  }
}

// Cells of one entry may differ only in the seed.
void check_only_seeds_differ(const ResultCell& first, const ResultCell& other, const std::string& seed_key) {
  std::set<std::string> keys;
  for (const auto& setting : first.config) keys.insert(setting.first);
  for (const auto& setting : other.config) keys.insert(setting.first);
  const Value unset{"", "(unset)"};
  auto value_in = [&](const ResultCell& cell, const std::string& key) {
    const auto found = cell.config.find(key);
    return found != cell.config.end() ? found->second : unset;
  };
  for (const auto& key : keys) {
    const Value left = value_in(first, key), right = value_in(other, key);
    if (key != seed_key && !(left == right))
      throw std::runtime_error("cannot average cells " + first.file->info.cell_id + " and " + other.file->info.cell_id +
                               ": they differ in '" + key + "' (" + left.shown + " vs " + right.shown +
                               "), not only in the seed; add that key to the rows or columns");
  }
}

void check_no_cell_twice(const std::vector<ResultCell>& cells) {
  std::map<std::string, const ResultFile*> seen;
  for (const auto& cell : cells) {
    const auto [found, added] = seen.emplace(cell.file->info.cell_id, cell.file);
    if (!added)
      throw std::runtime_error("cell " + cell.file->info.cell_id + " appears twice, in '" + found->second->path +
                               "' and '" + cell.file->path + "'; pass each result once");
  }
}

// With a computed row key, rows go in the order of its ranks (teacher first), ties
// and the other keys' values in the order first seen, key by key.
void order_rows_by_rank(Table& table, std::map<std::pair<std::size_t, std::size_t>, std::vector<const ResultCell*>>& groups) {
  if (std::none_of(table.row_keys.begin(), table.row_keys.end(), [](const auto& key) { return computed_key(key); }))
    return;
  std::vector<std::vector<std::pair<int, std::size_t>>> sort_keys;  // per row, per key: (rank, first seen)
  for (const auto& row : table.rows) {
    std::vector<std::pair<int, std::size_t>> keys;
    for (std::size_t key = 0; key < row.size(); ++key) {
      const auto first_seen = std::find_if(table.rows.begin(), table.rows.end(),
                                           [&](const auto& other) { return other[key] == row[key]; });
      keys.emplace_back(row[key].rank, first_seen - table.rows.begin());
    }
    sort_keys.push_back(keys);
  }
  std::vector<std::size_t> order(table.rows.size());  // new position -> old row
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return sort_keys[a] < sort_keys[b]; });
  std::vector<std::size_t> moved_to(order.size());
  std::vector<std::vector<Value>> rows;
  for (std::size_t i = 0; i < order.size(); ++i) {
    moved_to[order[i]] = i;
    rows.push_back(table.rows[order[i]]);
  }
  table.rows = rows;
  std::map<std::pair<std::size_t, std::size_t>, std::vector<const ResultCell*>> moved;
  for (auto& [position, group] : groups) moved[{moved_to[position.first], position.second}] = std::move(group);
  groups = std::move(moved);
}

}  // namespace

ResultCell cell_of(const ResultFile& file) {
  ResultCell cell{&file, {}, {}};
  flatten(parse_config(file, file.info.config_toml, "/config/cell_toml"), "", cell.config);
  flatten(parse_config(file, file.info.resolved_toml, "/config/resolved_toml"), "", cell.resolved);
  return cell;
}

// The cell's computed label for `key`, else its grid axis value, else its configured value,
// else kAbsent.
Value lookup(const ResultCell& cell, const std::string& key) {
  if (const auto* computed = computed_key(key)) return computed->label(cell);
  for (const auto& [axis, text] : cell.file->info.axes)
    if (axis == key) return axis_value(text);
  for (const FlatConfig* config : {&cell.config, &cell.resolved}) {
    const auto found = config->find(key);
    if (found != config->end()) return found->second;
  }
  return {kAbsent, kAbsent};
}

Table build_table(const std::vector<ResultFile>& results, const ReportSpec& spec, std::vector<ResultCell>& cells) {
  Table table;
  table.metrics = metric_columns(spec.metrics);
  const bool default_layout = spec.rows.empty() && spec.columns.empty();
  table.row_keys = default_layout ? default_rows(results, spec.seed_key) : spec.rows;
  table.column_keys = spec.columns;

  for (const auto& result : results) {
    if (result.info.status == "complete") {
      cells.push_back(cell_of(result));
    } else {
      table.failed_cells.push_back(result.info.cell_id);
    }
  }
  check_no_cell_twice(cells);
  check_keys_exist(cells, table.row_keys, spec.seed_key, results);
  check_keys_exist(cells, table.column_keys, spec.seed_key, results);

  std::map<std::pair<std::size_t, std::size_t>, std::vector<const ResultCell*>> groups;
  for (const auto& cell : cells) {
    const std::size_t row = index_of(table.rows, values_of(cell, table.row_keys));
    const std::size_t column = index_of(table.columns, values_of(cell, table.column_keys));
    groups[{row, column}].push_back(&cell);
  }
  if (table.columns.empty()) table.columns.emplace_back();  // one column group, even with no cells
  order_rows_by_rank(table, groups);

  table.entries.assign(table.rows.size(), std::vector<Entry>(table.columns.size()));
  for (auto& [position, group] : groups) {
    for (std::size_t i = 1; i < group.size(); ++i) check_only_seeds_differ(*group[0], *group[i], spec.seed_key);
    Entry& entry = table.entries[position.first][position.second];
    entry.cells = group;
    for (const auto* metric : table.metrics) {
      std::vector<double> values;
      for (const auto* cell : group) values.push_back(metric->value(cell->file->metrics));
      entry.metrics.push_back(summarise(values));
    }
  }
  return table;
}

std::string join(const std::vector<std::string>& parts, const char* separator) {
  std::string joined;
  for (std::size_t i = 0; i < parts.size(); ++i) joined += (i == 0 ? "" : separator) + parts[i];
  return joined;
}

std::string join_shown(const std::vector<Value>& values, const char* separator) {
  std::vector<std::string> shown;
  for (const auto& value : values) shown.push_back(value.shown);
  return join(shown, separator);
}

}  // namespace steper::report
