// The table of `steper report`: result files grouped into entries by the values of the row and
// column keys, each entry's metrics averaged over the seeds of its cells. report_render.cpp
// draws it as Markdown, LaTeX or CSV; report_compare.cpp compares its rows.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "report.hpp"

namespace steper::report {

struct MetricColumn {
  const char* name;   // in ReportSpec::metrics and CSV headers
  const char* title;  // in Markdown and LaTeX headers
  double (*value)(const Metrics&);
};

// A setting's value: equal only to the same TOML type and value; `shown` as a table prints it
// (strings without quotes, floats in their shortest exact form).
struct Value {
  std::string identity;  // type and value
  std::string shown;
  int rank = 0;  // computed keys only: where rows with this value go (see kComputedKeys)
  bool operator==(const Value& other) const { return identity == other.identity; }
};

using FlatConfig = std::map<std::string, Value>;  // dotted key -> value

// A cell as a result file records it (not the grid's steper::Cell): its settings, flattened for lookup.
struct ResultCell {
  const ResultFile* file;
  FlatConfig config, resolved;  // as configured; every setting used, defaults included
};

// One metric of a table entry over its cells (seeds).
struct Summary {
  double mean = 0, std = 0;  // sample standard deviation; 0 when n == 1
};

// One table entry: the cells with one combination of row and column values.
struct Entry {
  std::vector<const ResultCell*> cells;
  std::vector<Summary> metrics;  // in the order of Table::metrics
};

// Rows and column groups of distinct key values, an entry for each pair.
struct Table {
  std::vector<std::string> row_keys, column_keys;
  std::vector<std::vector<Value>> rows, columns;  // distinct value combinations, first seen first
  std::vector<const MetricColumn*> metrics;
  std::vector<std::vector<Entry>> entries;  // [row][column]
  std::vector<std::string> failed_cells;
};

std::string join(const std::vector<std::string>& parts, const char* separator);
std::string join_shown(const std::vector<Value>& values, const char* separator);

// The cell of a result file; throws std::runtime_error when its configuration is not valid TOML.
ResultCell cell_of(const ResultFile& file);

// The cell's computed label for `key` (see ReportSpec: "method"), else its grid axis value, else
// its configured value, else "-".
Value lookup(const ResultCell& cell, const std::string& key);

// The table of the complete results (`cells` receives their cells, which the entries point
// into; reserve it). Throws std::runtime_error for an unknown metric or key, a cell passed
// twice, and cells of one entry that differ in more than the seed.
Table build_table(const std::vector<ResultFile>& results, const ReportSpec& spec, std::vector<ResultCell>& cells);

}  // namespace steper::report
