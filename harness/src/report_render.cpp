// Draws a report table as Markdown, LaTeX or CSV, with a last line naming the failed cells.
#include "report_render.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace steper::report {
namespace {

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

}  // namespace

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

namespace {

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

}  // namespace

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

namespace {

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

}  // namespace

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

}  // namespace steper::report
