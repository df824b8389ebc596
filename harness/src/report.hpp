// Tables over result files: rows and columns chosen from grid axes, mean +- std over seeds;
// optionally paired significance tests between two rows.
#pragma once

#include <string>
#include <vector>

#include "result_reader.hpp"

namespace steper {

enum class TableFormat { markdown, latex, csv };

// Two rows of the report to compare: the rows whose row key `key_a` shows `value_a` against
// those whose `key_b` shows `value_b`, paired on every other row key, the column group and the
// seed.
struct Comparison {
  std::string key_a, value_a, key_b, value_b;
};

// "KEY=A,KEY=B" (the keys may differ; a value may hold commas, as "[1.5, 1.0, 0.5]" does).
// Throws std::invalid_argument naming the expected form.
Comparison parse_comparison(const std::string& text);

// Rows and columns name grid axes or settings (dotted keys), or the key computed from each cell,
// "method": "teacher" for cells that evaluate the teacher, else the loss plugin's `label`
// setting (vanilla-KD, fixed λ = (...), StepER); its rows put the teacher first, the rest in
// grid order.
struct ReportSpec {
  std::vector<std::string> rows;     // keys whose values make the rows, e.g. {"loss.name"}
  std::vector<std::string> columns;  // keys whose values make column groups, e.g. {"dataset.name"}
  std::vector<std::string> metrics = {"em", "f1", "acc"};
  std::string seed_key = "seed";  // cells differing only in this key are averaged
  TableFormat format = TableFormat::markdown;
  // After the table, one line per compared pair of rows (and column group): the mean difference
  // of compare_metric (em, f1 or acc) in points with its paired bootstrap 95% interval, and
  // McNemar's exact test on per-question Acc. Needs the results' predictions.
  std::vector<Comparison> comparisons;
  std::string compare_metric = "acc";
  int bootstrap_resamples = 10000;
};

// The layouts of the paper's tables, EM, F1 and Acc: "table1" (rows dataset x method) and
// "table2" (rows method, a column group per dataset). Throws std::invalid_argument for
// other names.
ReportSpec report_preset(const std::string& name);

// Collects result files from paths (files, or folders searched recursively for *.h5;
// *.tmp files are ignored), in grid order (experiment, then position in the grid), with their
// per-question predictions when `with_predictions`. A file that cannot be read (damaged, not a
// result file, or holding a configuration that is not valid TOML) is left out, with a line in
// `skipped` naming it and why. Throws std::runtime_error for a path that does not exist.
std::vector<ResultFile> collect_results(const std::vector<std::string>& paths, std::vector<std::string>& skipped,
                                        bool with_predictions = false);

// Renders the table. Throws std::runtime_error when cells of one table entry differ in a
// configuration key other than the seed, naming the key and two values, and when a comparison
// finds no rows to compare or compared cells hold different questions.
std::string render_report(const std::vector<ResultFile>& results, const ReportSpec& spec);

}  // namespace steper
