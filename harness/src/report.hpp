// Tables over result files: rows and columns chosen from grid axes, mean +- std over seeds.
#pragma once

#include <string>
#include <vector>

#include "result_file.hpp"

namespace steper {

enum class TableFormat { markdown, latex, csv };

// Rows and columns name grid axes or settings (dotted keys), or keys computed from each cell:
// "method" (teacher, vanilla-KD, fixed λ = (...), StepER) and "weighting" (the same, as Table 2
// names them); rows of a computed key go in the paper's order, the teacher first.
struct ReportSpec {
  std::vector<std::string> rows;     // keys whose values make the rows, e.g. {"loss.name"}
  std::vector<std::string> columns;  // keys whose values make column groups, e.g. {"dataset.name"}
  std::vector<std::string> metrics = {"em", "f1", "acc"};
  std::string seed_key = "seed";  // cells differing only in this key are averaged
  TableFormat format = TableFormat::markdown;
};

// The layouts of the paper's tables, EM, F1 and Acc: "table1" (rows dataset x method) and
// "table2" (rows weighting, a column group per dataset). Throws std::invalid_argument for
// other names.
ReportSpec report_preset(const std::string& name);

// Collects result files from paths (files, or folders searched recursively for *.h5;
// *.tmp files are ignored), in grid order (experiment, then position in the grid). Throws
// std::runtime_error naming a bad file.
std::vector<ResultFile> collect_results(const std::vector<std::string>& paths);

// Renders the table. Throws std::runtime_error when cells of one table entry differ in a
// configuration key other than the seed, naming the key and two values.
std::string render_report(const std::vector<ResultFile>& results, const ReportSpec& spec);

}  // namespace steper
