// Compares two rows of a report: their cells paired by seed and their questions by id, the mean
// difference with its paired bootstrap interval, and McNemar's exact test on per-question Acc.
#include "report_compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <stdexcept>
#include <type_traits>

#include "significance.hpp"

namespace steper::report {
namespace {

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

}  // namespace

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

}  // namespace steper::report
