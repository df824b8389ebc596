// `steper report`: groups result files into table entries by the values of the row and column
// axes, averages each entry's cells over seeds (refusing cells that differ in anything else),
// and renders the table as Markdown, LaTeX or CSV, followed by any paired comparisons of rows.
#include "report.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>
#include <stdexcept>
#include <tuple>

#include "report_compare.hpp"
#include "report_render.hpp"
#include "report_table.hpp"

namespace steper {
namespace {

namespace fs = std::filesystem;

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
      (void)report::cell_of(result);  // its configuration parses
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
  std::vector<report::ResultCell> cells;
  cells.reserve(results.size());  // entries point into it
  const report::Table table = report::build_table(results, spec, cells);
  const std::vector<std::string> comparisons = report::comparison_lines(table, spec);
  std::string text, prefix;  // comparison lines are comments in LaTeX and CSV
  switch (spec.format) {
    case TableFormat::latex:
      text = report::render_latex(table);
      prefix = "% ";
      break;
    case TableFormat::csv:
      text = report::render_csv(table);
      prefix = "# ";
      break;
    case TableFormat::markdown:
      text = report::render_markdown(table) + (comparisons.empty() ? "" : "\n");
      break;
  }
  for (const auto& line : comparisons) text += prefix + line + "\n";
  return text;
}

}  // namespace steper
