// Writes a cell's result file under a temporary name and renames it into place when complete.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "result_file.hpp"

namespace steper {

// Writes `final_path` + ".<pid>.tmp" as it goes; commit() closes it and renames it into place.
// Destroying an uncommitted writer removes the temporary file and leaves any existing
// file at final_path untouched.
class ResultWriter {
 public:
  explicit ResultWriter(const std::string& final_path);  // throws std::runtime_error
  ~ResultWriter();
  ResultWriter(const ResultWriter&) = delete;
  ResultWriter& operator=(const ResultWriter&) = delete;

  void append_train_log(const TrainLogRow& row);  // extendible table, flushed per call
  // The pretraining stage's rows (dev_score: the gate's reading accuracy where measured);
  // the table exists only once a row was appended.
  void append_pretrain_log(const TrainLogRow& row);
  void append_log_line(const std::string& line);  // the run log
  void write_predictions(const std::vector<PredictionRow>& rows);
  // The evaluated questions' trajectories, in the order of the predictions.
  void write_trajectories(const std::vector<Trajectory>& trajectories);
  // The training questions' teacher trajectories with the filter's verdict on each, one per
  // trajectory: "kept" or the rule that dropped it (to_string(FilterOutcome)).
  void write_teacher_trajectories(const std::vector<Trajectory>& trajectories, const std::vector<std::string>& filter);
  void write_metrics(const Metrics& metrics);
  void commit(const CellInfo& info);  // writes info, closes, renames
  void commit_to(const CellInfo& info, const std::string& path);  // commit() to another final path

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace steper
