// Reads a cell's result file, checking its seal, layout and every size before use.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "result_file.hpp"

namespace steper {

struct ResultFile {
  std::string path;
  std::int64_t format_version = 0;
  CellInfo info;
  Metrics metrics;  // zeros for failed cells
  std::vector<PredictionRow> predictions;
  std::vector<Trajectory> trajectories;          // one per prediction; none in format 2 files
  std::vector<Trajectory> teacher_trajectories;  // none when the cell evaluated the teacher
  std::vector<std::string> teacher_filter;       // one per teacher trajectory
  std::vector<TrainLogRow> train_log;
  std::vector<TrainLogRow> pretrain_log;  // empty when the cell did not pretrain
  std::vector<std::string> log_lines;
};

// Throws std::runtime_error naming the file when it is missing, not HDF5, truncated, or lacks
// a part its format version holds. `with_tables` = false skips predictions, trajectories and
// logs (faster).
ResultFile read_result_file(const std::string& path, bool with_tables = true);

}  // namespace steper
