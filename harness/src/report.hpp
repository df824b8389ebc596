// Tables over result files: rows and columns chosen from grid axes, mean +- std over seeds.
#pragma once

#include <string>
#include <vector>

#include "result_file.hpp"

namespace steper {

enum class TableFormat { markdown, latex, csv };

struct ReportSpec {
  std::vector<std::string> rows;     // grid keys whose values make the rows, e.g. {"loss.name"}
  std::vector<std::string> columns;  // grid keys whose values make column groups, e.g. {"dataset.name"}
  std::vector<std::string> metrics = {"em", "f1", "acc"};
  std::string seed_key = "seed";  // cells differing only in this key are averaged
  TableFormat format = TableFormat::markdown;
};

// The layouts of the paper's tables: "table1" (method x dataset with EM, F1, Acc) and
// "table2" (the weighting ablation, Acc). Throws std::invalid_argument for other names.
ReportSpec report_preset(const std::string& name);

// Collects result files from paths (files, or folders searched recursively for *.h5;
// *.tmp files are ignored), in grid order (experiment, then position in the grid). Throws
// std::runtime_error naming a bad file.
std::vector<ResultFile> collect_results(const std::vector<std::string>& paths);

// Renders the table. Throws std::runtime_error when cells of one table entry differ in a
// configuration key other than the seed, naming the key and two values.
std::string render_report(const std::vector<ResultFile>& results, const ReportSpec& spec);

}  // namespace steper
