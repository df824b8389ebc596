// The training loop: step-wise samples -> model's per-sample losses -> loss plugin -> AdamW,
// with resumable checkpoints and dev evaluation. Declared without LibTorch types; implemented
// in torch/trainer.cpp.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "result_file.hpp"
#include "steper/types.hpp"
#include "train_settings.hpp"

namespace steper {

class DataParallel;
class Loss;
class RunLog;
class TrainableModel;

struct TrainingJob {
  TrainableModel& model;
  Loss& loss;
  const std::vector<StepSample>& samples;
  const TrainSettings& settings;
  std::uint64_t seed = 0;
  RunLog& log;
  // Folder of the resumable checkpoints (`last/`, and `best/` when keeping the best): training
  // resumes from `last/` when it is there. Empty: no checkpoints (then keep must be "last").
  std::string state_dir;
  // The dev score (0-100, higher is better) of the model as it is now; empty: no dev evaluation.
  std::function<double()> evaluate_dev;
  std::function<void(const TrainLogRow&)> on_step;  // every step's log row, resumed ones included; may be empty
  // Data-parallel training: each rank trains on its share of every batch and gradients are
  // averaged; only rank 0 writes checkpoints. Null: one process.
  DataParallel* parallel = nullptr;
};

struct TrainSummary {
  std::int64_t steps = 0;
  std::int64_t resumed_from = 0;  // the step of the checkpoint training resumed from; 0 = fresh
  double seconds = 0;             // this run's training time, without the steps before a resume
  double tokens_per_s = 0;
  std::string precision;          // what was used: "fp32" or "bf16"
  std::int64_t best_step = 0;     // the dev evaluation kept (keep = "best"); 0 = none
  double best_score = 0;
  std::vector<TrainLogRow> rows;  // every step's log row
};

// Trains job.model with job.loss on the samples whose kind the loss uses. With keep = "best"
// the model holds the best dev checkpoint's weights when it returns. Throws std::runtime_error
// on a NaN or infinite loss, naming the step and the last good checkpoint, which stays on disk.
TrainSummary train_student(const TrainingJob& job);

}  // namespace steper
