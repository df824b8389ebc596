// The records of a cell's result file (one HDF5 file per cell), as the writer takes them and
// the reader returns them.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "steper/types.hpp"

namespace steper {

struct CellInfo {
  std::string experiment;
  std::string cell_id;
  std::string config_toml;    // the cell as configured
  std::string resolved_toml;  // every setting used, defaults included
  std::vector<std::pair<std::string, std::string>> axes;  // grid key -> value (TOML text)
  std::string code_version;   // git describe, or the package version
  std::string host;
  int threads = 0;
  std::int64_t grid_index = 0;  // position of the cell in its experiment's grid (reports keep this order)
  std::uint64_t seed = 0;
  std::string started_at;   // ISO 8601 UTC
  std::string finished_at;
  std::string status;       // "complete" or "failed"
  std::string error;        // why it failed; empty when complete
  std::string train_precision;  // "bf16" or "fp32" as used; empty when nothing was trained
};

struct Metrics {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  double em = 0, f1 = 0, acc = 0;  // percentages, means over questions
  std::int64_t questions = 0;
  // Evaluation beyond the answer; percentages, NaN where no question qualifies.
  double ability_initialization = kNaN, ability_expansion = kNaN, ability_aggregation = kNaN;
  double steps_mean = kNaN;
  std::int64_t ended_error = 0;      // questions the model or retriever failed on
  std::int64_t ended_no_answer = 0;  // questions whose output never matched the answer pattern
  std::vector<double> recall_per_step;  // percent of supporting paragraphs retrieved by step s
  // Teacher-stage statistics.
  std::int64_t teacher_trajectories = 0, teacher_kept = 0;
  std::int64_t teacher_filtered_error = 0, teacher_filtered_no_answer = 0, teacher_filtered_wrong = 0,
               teacher_filtered_bridge = 0;
  double teacher_steps_mean = kNaN;
  std::int64_t student_parameters = 0;  // of the trained student; 0 when the cell trained none
  // Exact single-hop reading accuracy (percent) of the pretrained student on unseen worlds,
  // measured when pretraining ended; NaN when the student was not pretrained.
  double pretrain_reading_acc = kNaN;
  std::vector<double> teacher_recall_per_step;
  std::array<std::int64_t, kStepKindCount> samples_per_kind{};
};

struct PredictionRow {
  std::string question_id;
  std::string prediction;
  std::vector<std::string> golds;
  double em = 0, f1 = 0, acc = 0;  // 0..1 for this question
  int steps = 0;
  std::vector<std::string> retrieved_ids;
};

struct TrainLogRow {
  std::int64_t step = 0;
  double loss = 0;
  std::array<double, kStepKindCount> kind_loss{};    // NaN where a kind is absent
  std::array<double, kStepKindCount> kind_weight{};  // weight or sigma per kind
  double learning_rate = 0;
  double tokens_per_s = 0;
  double dev_score = std::numeric_limits<double>::quiet_NaN();  // NaN at steps without a dev evaluation
  // Wall time since the previous step ended: drawing the batch, training, and the dev
  // evaluation when there was one (NaN in files written before this column existed).
  double seconds = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace steper
