#include "result_inspect.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "result_reader.hpp"
#include "result_layout.hpp"
#include "trajectory_text.hpp"

namespace steper {

void inspect_result_file(const std::string& path, const std::string& question_id, std::ostream& out) {
  const ResultFile result = read_result_file(path);
  if (result.format_version < result_layout::kFirstVersionWithTrajectories)
    throw std::runtime_error(fmt::format("result file '{}' has format_version {}, which stores no trajectories: "
                                         "rerun its cell with --force to write format {}",
                                         path, result.format_version, result_layout::kFormatVersion));
  out << "cell " << result.info.cell_id << " (" << result.info.status << ") of experiment " << result.info.experiment
      << ", result file " << path << "\n";
  bool found = false;
  for (std::size_t i = 0; i < result.trajectories.size(); ++i) {
    if (result.trajectories[i].question_id != question_id) continue;
    found = true;
    out << "\nquestion " << question_id << " (evaluated)\n";
    if (i < result.predictions.size() && result.predictions[i].question_id == question_id) {
      const PredictionRow& row = result.predictions[i];
      out << "gold:";
      for (std::size_t g = 0; g < row.golds.size(); ++g) out << (g == 0 ? " " : " | ") << row.golds[g];
      out << fmt::format("\nprediction: \"{}\"  EM {:g}  F1 {:.2f}  Acc {:g}\n", row.prediction, row.em, row.f1,
                         row.acc);
    }
    print_trajectory("evaluated trajectory", result.trajectories[i], out);
  }
  for (std::size_t i = 0; i < result.teacher_trajectories.size(); ++i) {
    if (result.teacher_trajectories[i].question_id != question_id) continue;
    found = true;
    out << "\nquestion " << question_id << " (training)\n";
    print_trajectory("teacher trajectory", result.teacher_trajectories[i], out);
    out << "filter: " << result.teacher_filter[i] << "\n";
  }
  if (!found)
    throw std::runtime_error(fmt::format("result file '{}' holds no trajectory of question '{}' ({} evaluated, {} "
                                         "teacher trajectories)",
                                         path, question_id, result.trajectories.size(),
                                         result.teacher_trajectories.size()));
}

}  // namespace steper
