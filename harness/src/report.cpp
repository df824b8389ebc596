// `steper report`: groups result files into table entries by the values of the row and column
// axes, averages each entry's cells over seeds (refusing cells that differ in anything else),
// and renders the table as Markdown, LaTeX or CSV, followed by any paired comparisons of rows.
#include "report.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <tuple>
#include <type_traits>

#include "significance.hpp"
#include "toml_depth.hpp"

namespace steper {
namespace {

namespace fs = std::filesystem;

double teacher_kept_percent(const Metrics& m) {
  return m.teacher_trajectories > 0 ? 100.0 * static_cast<double>(m.teacher_kept) / static_cast<double>(m.teacher_trajectories)
                                    : Metrics::kNaN;
}

constexpr struct {
  const char* name;   // in ReportSpec::metrics and CSV headers
  const char* title;  // in Markdown and LaTeX headers
  double (*value)(const Metrics&);
} kMetricColumns[] = {
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
using MetricColumn = std::remove_extent_t<decltype(kMetricColumns)>;

constexpr const char* kAbsent = "-";  // shown for a key a cell neither has as an axis nor sets

std::string join(const std::vector<std::string>& parts, const char* separator) {
  std::string joined;
  for (std::size_t i = 0; i < parts.size(); ++i) joined += (i == 0 ? "" : separator) + parts[i];
  return joined;
}

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

// A setting's value: equal only to the same TOML type and value, and shown as show() does.
struct Value {
  std::string identity;  // type and value
  std::string shown;
  int rank = 0;  // computed keys only: where rows with this value go (see kComputedKeys)
  bool operator==(const Value& other) const { return identity == other.identity; }
};

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

using FlatConfig = std::map<std::string, Value>;  // dotted key -> value

void flatten(const toml::table& table, const std::string& prefix, FlatConfig& flat) {
  for (const auto& [key, node] : table) {
    const std::string dotted = prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
    if (const auto* sub_table = node.as_table()) {
      flatten(*sub_table, dotted, flat);
    } else {
      flat.emplace(dotted, value_of(node));
    }
  }
}

// A cell as a result file records it (not the grid's steper::Cell): its settings, flattened for lookup.
struct ResultCell {
  const ResultFile* file;
  toml::table config_table, resolved_table;  // as configured; every setting used, defaults included
  FlatConfig config, resolved;               // the same, flattened
};

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

ResultCell cell_of(const ResultFile& file) {
  ResultCell cell{&file, parse_config(file, file.info.config_toml, "/config/cell_toml"),
            parse_config(file, file.info.resolved_toml, "/config/resolved_toml"), {}, {}};
  flatten(cell.config_table, "", cell.config);
  flatten(cell.resolved_table, "", cell.resolved);
  return cell;
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

struct Summary {
  double mean = 0, std = 0;  // sample standard deviation; 0 when n == 1
};

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

// One table entry: the cells with one combination of row and column values.
struct Entry {
  std::vector<const ResultCell*> cells;
  std::vector<Summary> metrics;  // in the order of Table::metrics
};

struct Table {
  std::vector<std::string> row_keys, column_keys;
  std::vector<std::vector<Value>> rows, columns;  // distinct value combinations, first seen first
  std::vector<const MetricColumn*> metrics;
  std::vector<std::vector<Entry>> entries;  // [row][column]
  std::vector<std::string> failed_cells;
};

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

std::string join_shown(const std::vector<Value>& values, const char* separator) {
  std::vector<std::string> shown;
  for (const auto& value : values) shown.push_back(value.shown);
  return join(shown, separator);
}

std::string failed_line(const Table& table) {
  if (table.failed_cells.empty()) return "";
  const std::size_t count = table.failed_cells.size();
  return std::to_string(count) + (count == 1 ? " failed cell" : " failed cells") +
         " not shown: " + join(table.failed_cells, ", ");
}

// "45.00 ± 1.41", or "45.00" for one cell, "" for none, "n/a" where the metric does not apply
// (a per-ability score without gold decompositions).
std::string mean_and_std(const Entry& entry, std::size_t metric, const std::string& plus_minus) {
  if (entry.cells.empty()) return "";
  const Summary& summary = entry.metrics[metric];
  if (std::isnan(summary.mean)) return "n/a";
  std::string shown = fmt::format("{:.2f}", summary.mean);
  if (entry.cells.size() > 1) shown += plus_minus + fmt::format("{:.2f}", summary.std);
  return shown;
}

// The table as rows of cell text: one header row, then one row per row of values.
// `header_label` names a metric column from its column group's label and the metric.
template <class Label>
std::vector<std::vector<std::string>> grid_of(const Table& table, const std::string& plus_minus, Label header_label) {
  std::vector<std::vector<std::string>> grid(1, table.row_keys);
  for (const auto& column : table.columns) {
    const std::string group = join_shown(column, " ");
    for (const auto* metric : table.metrics) grid[0].push_back(header_label(group, metric->title));
    grid[0].push_back(header_label(group, "n"));
  }
  for (std::size_t row = 0; row < table.rows.size(); ++row) {
    std::vector<std::string> line;
    for (const auto& value : table.rows[row]) line.push_back(value.shown);
    for (const auto& entry : table.entries[row]) {
      for (std::size_t metric = 0; metric < table.metrics.size(); ++metric)
        line.push_back(mean_and_std(entry, metric, plus_minus));
      line.push_back(std::to_string(entry.cells.size()));
    }
    grid.push_back(line);
  }
  return grid;
}

std::size_t display_width(const std::string& text) {  // code points, not bytes
  return std::count_if(text.begin(), text.end(),
                       [](char byte) { return (static_cast<unsigned char>(byte) & 0xC0) != 0x80; });
}

std::string render_markdown(const Table& table) {
  const auto grid = grid_of(table, " ± ", [](const std::string& group, const std::string& name) {
    return group.empty() ? name : group + " " + name;
  });
  const std::size_t label_columns = table.row_keys.size();
  std::vector<std::size_t> widths(grid[0].size(), 3);
  for (const auto& line : grid)
    for (std::size_t column = 0; column < line.size(); ++column)
      widths[column] = std::max(widths[column], display_width(line[column]));

  auto format_line = [&](const std::vector<std::string>& line) {
    std::string text = "|";
    for (std::size_t column = 0; column < line.size(); ++column) {
      const std::string padding(widths[column] - display_width(line[column]), ' ');
      text += " " + (column < label_columns ? line[column] + padding : padding + line[column]) + " |";
    }
    return text + "\n";
  };
  std::string text = format_line(grid[0]) + "|";
  for (std::size_t column = 0; column < widths.size(); ++column)
    text += column < label_columns ? std::string(widths[column] + 2, '-') + "|"
                                   : std::string(widths[column] + 1, '-') + ":|";
  text += "\n";
  for (std::size_t line = 1; line < grid.size(); ++line) text += format_line(grid[line]);
  const std::string failed = failed_line(table);
  return failed.empty() ? text : text + "\n" + failed + "\n";
}

std::string latex_escape(const std::string& text) {
  static constexpr struct {
    char character;
    const char* escaped;
  } kEscapes[] = {{'\\', "\\textbackslash{}"},
                  {'~', "\\textasciitilde{}"},
                  {'^', "\\textasciicircum{}"},
                  {'&', "\\&"},
                  {'%', "\\%"},
                  {'$', "\\$"},
                  {'#', "\\#"},
                  {'_', "\\_"},
                  {'{', "\\{"},
                  {'}', "\\}"}};
  std::string escaped;
  for (char c : text) {
    const auto* found = std::find_if(std::begin(kEscapes), std::end(kEscapes),
                                     [c](const auto& escape) { return escape.character == c; });
    escaped += found != std::end(kEscapes) ? std::string(found->escaped) : std::string(1, c);
  }
  return escaped;
}

std::string latex_line(const std::vector<std::string>& cells) { return join(cells, " & ") + " \\\\\n"; }

// Booktabs; column groups get a spanning header over their metrics.
std::string render_latex(const Table& table) {
  auto grid = grid_of(table, " $\\pm$ ", [](const std::string&, const std::string& name) { return name; });
  for (auto& cell : grid[0]) cell = latex_escape(cell);
  for (std::size_t line = 1; line < grid.size(); ++line)
    for (std::size_t column = 0; column < table.row_keys.size(); ++column)
      grid[line][column] = latex_escape(grid[line][column]);

  const std::size_t label_columns = table.row_keys.size();
  const std::size_t group_width = table.metrics.size() + 1;
  std::string text = "\\begin{tabular}{" + std::string(label_columns, 'l') +
                     std::string(group_width * table.columns.size(), 'r') + "}\n\\toprule\n";
  if (!table.column_keys.empty()) {
    std::vector<std::string> spans(label_columns);
    std::string rules;
    for (std::size_t group = 0; group < table.columns.size(); ++group) {
      spans.push_back("\\multicolumn{" + std::to_string(group_width) + "}{c}{" +
                      latex_escape(join_shown(table.columns[group], " ")) + "}");
      const std::size_t first = label_columns + group * group_width + 1;
      rules += (rules.empty() ? "" : " ") + fmt::format("\\cmidrule(lr){{{}-{}}}", first, first + group_width - 1);
    }
    text += latex_line(spans) + rules + "\n";
  }
  text += latex_line(grid[0]) + "\\midrule\n";
  for (std::size_t line = 1; line < grid.size(); ++line) text += latex_line(grid[line]);
  text += "\\bottomrule\n\\end{tabular}\n";
  const std::string failed = failed_line(table);
  return failed.empty() ? text : text + "% " + failed + "\n";
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string csv_line(std::vector<std::string> fields) {
  for (auto& field : fields) field = csv_field(field);
  return join(fields, ",") + "\n";
}

// One line per table entry with cells (tidy data, for analysis scripts); 4 decimals.
std::string render_csv(const Table& table) {
  std::vector<std::string> header = table.row_keys;
  header.insert(header.end(), table.column_keys.begin(), table.column_keys.end());
  for (const auto* metric : table.metrics) {
    header.push_back(std::string(metric->name) + "_mean");
    header.push_back(std::string(metric->name) + "_std");
  }
  header.push_back("n");
  std::string text = csv_line(header);
  for (std::size_t row = 0; row < table.rows.size(); ++row) {
    for (std::size_t column = 0; column < table.columns.size(); ++column) {
      const Entry& entry = table.entries[row][column];
      if (entry.cells.empty()) continue;
      std::vector<std::string> fields;
      for (const auto& value : table.rows[row]) fields.push_back(value.shown);
      for (const auto& value : table.columns[column]) fields.push_back(value.shown);
      for (const auto& summary : entry.metrics) {
        fields.push_back(fmt::format("{:.4f}", summary.mean));
        fields.push_back(entry.cells.size() > 1 ? fmt::format("{:.4f}", summary.std) : "");
      }
      fields.push_back(std::to_string(entry.cells.size()));
      text += csv_line(fields);
    }
  }
  const std::string failed = failed_line(table);
  return failed.empty() ? text : text + "# " + failed + "\n";
}

constexpr struct {
  const char* name;
  const char* title;
  double PredictionRow::*score;  // 0..1 per question
} kQuestionMetrics[] = {{"em", "EM", &PredictionRow::em}, {"f1", "F1", &PredictionRow::f1}, {"acc", "Acc", &PredictionRow::acc}};
using QuestionMetric = std::remove_extent_t<decltype(kQuestionMetrics)>;

// The cell's predictions in the order of the reference cell's; throws unless both cells hold the
// same questions, each once.
std::vector<const PredictionRow*> aligned_predictions(const ResultCell& cell, const ResultCell& reference) {
  const std::string& id = cell.file->info.cell_id;
  std::map<std::string, const PredictionRow*> by_question;
  for (const auto& row : cell.file->predictions)
    if (!by_question.emplace(row.question_id, &row).second)
      throw std::runtime_error("cell " + id + " holds question '" + row.question_id + "' twice");
  const auto differ = [&](const std::string& question, const std::string& in, const std::string& not_in) {
    return std::runtime_error("cannot pair the questions of cells " + reference.file->info.cell_id + " and " + id +
                              ": question '" + question + "' is in " + in + " but not in " + not_in +
                              " (a paired comparison needs the same questions in every compared cell)");
  };
  std::vector<const PredictionRow*> aligned;
  std::set<std::string> wanted;
  for (const auto& row : reference.file->predictions) {
    const auto found = by_question.find(row.question_id);
    if (found == by_question.end()) throw differ(row.question_id, reference.file->info.cell_id, id);
    aligned.push_back(found->second);
    wanted.insert(row.question_id);
  }
  for (const auto& row : cell.file->predictions)
    if (!wanted.count(row.question_id)) throw differ(row.question_id, id, reference.file->info.cell_id);
  return aligned;
}

std::string signed_points(double points) { return fmt::format("{:+.2f}", points == 0 ? 0.0 : points); }

// One comparison line for two table entries: their cells paired by seed, questions by id.
std::string compare_entries(const Entry& a, const Entry& b, const std::string& name_a, const std::string& name_b,
                            const std::string& context, const QuestionMetric& metric, const ReportSpec& spec) {
  const std::string label = name_a + " − " + name_b + " (" + metric.title + (context.empty() ? "" : "; " + context) + ")";
  std::vector<std::pair<const ResultCell*, const ResultCell*>> pairs;
  std::vector<std::string> unpaired;
  const auto partner = [&](const ResultCell& cell, const Entry& other) -> const ResultCell* {
    const Value seed = lookup(cell, spec.seed_key);
    for (const ResultCell* candidate : other.cells)
      if (lookup(*candidate, spec.seed_key) == seed) return candidate;
    return nullptr;
  };
  for (const ResultCell* cell : a.cells) {
    if (const ResultCell* other = partner(*cell, b)) pairs.emplace_back(cell, other);
    else unpaired.push_back(spec.seed_key + " " + lookup(*cell, spec.seed_key).shown + " of " + name_a);
  }
  for (const ResultCell* cell : b.cells)
    if (!partner(*cell, a)) unpaired.push_back(spec.seed_key + " " + lookup(*cell, spec.seed_key).shown + " of " + name_b);
  if (pairs.empty()) throw std::runtime_error(label + ": no " + spec.seed_key + " has a cell in both rows");

  const ResultCell& reference = *pairs.front().first;
  if (reference.file->predictions.empty())
    throw std::runtime_error("cell " + reference.file->info.cell_id + " holds no per-question predictions to compare");
  std::vector<std::vector<double>> differences;  // [seed][question], points
  std::int64_t only_a = 0, only_b = 0;           // McNemar's discordant pairs, on Acc
  for (const auto& [cell_a, cell_b] : pairs) {
    const auto rows_a = aligned_predictions(*cell_a, reference);
    const auto rows_b = aligned_predictions(*cell_b, reference);
    differences.emplace_back();
    for (std::size_t question = 0; question < rows_a.size(); ++question) {
      differences.back().push_back(100 * (rows_a[question]->*metric.score - rows_b[question]->*metric.score));
      const bool right_a = rows_a[question]->acc > 0.5, right_b = rows_b[question]->acc > 0.5;
      only_a += right_a && !right_b;
      only_b += right_b && !right_a;
    }
  }
  const BootstrapInterval interval = paired_bootstrap(differences, spec.bootstrap_resamples);
  const std::size_t questions = differences.front().size(), seeds = differences.size();
  return fmt::format("{}: {} points, 95% CI [{}, {}] (paired bootstrap over {} question{} × {} seed{}, {} resamples); "
                     "McNemar{} b={} c={}, p={:.3g}{}",
                     label, signed_points(interval.mean), signed_points(interval.low), signed_points(interval.high),
                     questions, questions == 1 ? "" : "s", seeds, seeds == 1 ? "" : "s", spec.bootstrap_resamples,
                     std::string(metric.name) == "acc" ? "" : " on Acc", only_a, only_b, mcnemar_exact(only_a, only_b),
                     unpaired.empty() ? "" : "; left out, without a partner: " + join(unpaired, ", "));
}

std::size_t row_key_index(const Table& table, const std::string& key) {
  const auto found = std::find(table.row_keys.begin(), table.row_keys.end(), key);
  if (found == table.row_keys.end())
    throw std::runtime_error("--compare names '" + key + "', which is not a row key of this report (rows: " +
                             join(table.row_keys, ", ") + "); add it to --rows");
  return static_cast<std::size_t>(found - table.row_keys.begin());
}

// For each comparison, every pair of rows (one per side) that agree on the other row keys, in
// every column group where both have cells.
std::vector<std::string> comparison_lines(const Table& table, const ReportSpec& spec) {
  if (spec.comparisons.empty()) return {};
  const auto* metric = std::find_if(std::begin(kQuestionMetrics), std::end(kQuestionMetrics),
                                    [&](const auto& known) { return spec.compare_metric == known.name; });
  if (metric == std::end(kQuestionMetrics))
    throw std::runtime_error("cannot compare by '" + spec.compare_metric + "' (expected em, f1 or acc)");
  std::vector<std::string> lines;
  for (const auto& comparison : spec.comparisons) {
    const std::string name = comparison.key_a + "=" + comparison.value_a + " against " + comparison.key_b + "=" +
                             comparison.value_b;
    const std::size_t key_a = row_key_index(table, comparison.key_a), key_b = row_key_index(table, comparison.key_b);
    const auto rows_showing = [&](std::size_t key, const std::string& value) {
      std::vector<std::size_t> rows;
      std::vector<std::string> shown;
      for (std::size_t row = 0; row < table.rows.size(); ++row) {
        if (table.rows[row][key].shown == value) rows.push_back(row);
        if (std::find(shown.begin(), shown.end(), table.rows[row][key].shown) == shown.end())
          shown.push_back(table.rows[row][key].shown);
      }
      if (rows.empty())
        throw std::runtime_error("--compare " + name + ": no row has " + table.row_keys[key] + " = " + value +
                                 " (it has: " + join(shown, ", ") + ")");
      return rows;
    };
    const std::size_t before = lines.size();
    for (std::size_t row_a : rows_showing(key_a, comparison.value_a)) {
      for (std::size_t row_b : rows_showing(key_b, comparison.value_b)) {
        std::vector<std::string> context;
        bool agree = row_a != row_b;
        for (std::size_t key = 0; key < table.row_keys.size() && agree; ++key) {
          if (key == key_a || key == key_b) continue;
          agree = table.rows[row_a][key] == table.rows[row_b][key];
          context.push_back(table.row_keys[key] + " = " + table.rows[row_a][key].shown);
        }
        if (!agree) continue;
        for (std::size_t column = 0; column < table.columns.size(); ++column) {
          const Entry &a = table.entries[row_a][column], &b = table.entries[row_b][column];
          if (a.cells.empty() || b.cells.empty()) continue;
          std::vector<std::string> column_context = context;
          for (std::size_t key = 0; key < table.column_keys.size(); ++key)
            column_context.push_back(table.column_keys[key] + " = " + table.columns[column][key].shown);
          lines.push_back(compare_entries(a, b, table.rows[row_a][key_a].shown, table.rows[row_b][key_b].shown,
                                          join(column_context, ", "), *metric, spec));
        }
      }
    }
    if (lines.size() == before)
      throw std::runtime_error("--compare " + name + ": no two such rows agree on the other row keys (" +
                               join(table.row_keys, ", ") + ") and have cells in one column group");
  }
  return lines;
}

void add_result_files(const fs::path& folder, std::vector<fs::path>& files) {
  std::vector<fs::path> found;
  std::error_code error;
  for (fs::recursive_directory_iterator it(folder, error), end; !error && it != end; it.increment(error))
    if (it->is_regular_file() && it->path().extension() == ".h5") found.push_back(it->path());
  if (error) throw std::runtime_error("cannot read results folder '" + folder.string() + "': " + error.message());
  std::sort(found.begin(), found.end());
  files.insert(files.end(), found.begin(), found.end());
}

}  // namespace

ReportSpec report_preset(const std::string& name) {
  ReportSpec spec;
  if (name == "table1") {
    spec.rows = {"dataset.name", "method"};
  } else if (name == "table2") {
    spec.rows = {"method"};
    spec.columns = {"dataset.name"};
  } else {
    throw std::invalid_argument("unknown report preset '" + name + "' (expected table1 or table2)");
  }
  return spec;
}

Comparison parse_comparison(const std::string& text) {
  const auto key_value = [](const std::string& part, std::string& key, std::string& value) {
    const auto equals = part.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == part.size()) return false;
    key = part.substr(0, equals);
    value = part.substr(equals + 1);
    return std::all_of(key.begin(), key.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-'; });
  };
  // The second side starts at the first comma followed by KEY=: values may hold commas.
  for (auto comma = text.find(','); comma != std::string::npos; comma = text.find(',', comma + 1)) {
    Comparison comparison;
    if (key_value(text.substr(0, comma), comparison.key_a, comparison.value_a) &&
        key_value(text.substr(comma + 1), comparison.key_b, comparison.value_b))
      return comparison;
  }
  throw std::invalid_argument("--compare '" + text + "': expected KEY=A,KEY=B, e.g. loss.name=steper,loss.name=vanilla_kd");
}

// Files come in the grid's order for each experiment, then by seed (cells run again with
// `--set seed=` keep their grid position), so rows and seeds come in the order declared.
std::vector<ResultFile> collect_results(const std::vector<std::string>& paths, std::vector<std::string>& skipped,
                                        bool with_predictions) {
  std::vector<fs::path> files;
  for (const auto& path : paths) {
    std::error_code error;
    if (fs::is_directory(path, error)) {
      add_result_files(path, files);
    } else if (fs::exists(path, error)) {
      if (fs::path(path).extension() != ".tmp") files.emplace_back(path);
    } else {
      throw std::runtime_error("result path '" + path + "' does not exist");
    }
  }
  std::set<fs::path> seen;
  std::vector<ResultFile> results;
  for (const auto& file : files) {
    std::error_code error;
    const fs::path canonical = fs::weakly_canonical(file, error);
    if (!seen.insert(error ? file : canonical).second) continue;
    try {
      ResultFile result = read_result_file(file.string(), /*with_tables=*/with_predictions);
      (void)cell_of(result);  // its configuration parses
      results.push_back(std::move(result));
    } catch (const std::runtime_error& unreadable) {
      skipped.emplace_back(unreadable.what());
    }
  }
  std::stable_sort(results.begin(), results.end(), [](const ResultFile& a, const ResultFile& b) {
    return std::tie(a.info.experiment, a.info.grid_index, a.info.seed, a.path) <
           std::tie(b.info.experiment, b.info.grid_index, b.info.seed, b.path);
  });
  return results;
}

std::string render_report(const std::vector<ResultFile>& results, const ReportSpec& spec) {
  if (results.empty()) throw std::runtime_error("no result files to report on");
  std::vector<ResultCell> cells;
  cells.reserve(results.size());  // entries point into it
  const Table table = build_table(results, spec, cells);
  const std::vector<std::string> comparisons = comparison_lines(table, spec);
  std::string text, prefix;  // comparison lines are comments in LaTeX and CSV
  switch (spec.format) {
    case TableFormat::latex:
      text = render_latex(table);
      prefix = "% ";
      break;
    case TableFormat::csv:
      text = render_csv(table);
      prefix = "# ";
      break;
    case TableFormat::markdown:
      text = render_markdown(table) + (comparisons.empty() ? "" : "\n");
      break;
  }
  for (const auto& line : comparisons) text += prefix + line + "\n";
  return text;
}

}  // namespace steper
