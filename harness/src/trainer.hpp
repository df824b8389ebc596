// The training loop: step-wise samples -> model's per-sample losses -> loss plugin -> AdamW.
// Declared without LibTorch types; implemented in torch/trainer.cpp.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "result_file.hpp"
#include "steper/types.hpp"

namespace steper {

class Loss;
class RunLog;
class Settings;
class TrainableModel;

struct TrainSettings {
  std::int64_t steps = 100;     // optimisation steps
  int batch_size = 8;           // samples per step
  double lr = 1e-3;             // AdamW peak learning rate
  std::int64_t warmup_steps = 0;   // linear warm-up from 0 to lr
  std::string schedule = "constant";  // after warm-up: "constant", "cosine" or "linear" decay to min_lr_ratio x lr
  double min_lr_ratio = 0.0;
  double clip_norm = 0.0;       // clip the global gradient norm to this; 0 = no clipping
  double weight_decay = 0.0;    // AdamW decoupled weight decay
  std::string precision = "auto";  // "fp32", "bf16" (autocast), or "auto": bf16 where the CPU has bf16 units
  std::string filter = "acc";   // which teacher trajectories are kept: "acc", "em" or "none"
  bool bridge_filter = false;   // also drop trajectories whose bridge sentences lack retrieved evidence

  // Reads the [train] table; rejects values out of range at their location.
  static TrainSettings read(const Settings& table);
};

struct TrainSummary {
  std::int64_t steps = 0;
  double seconds = 0;
  double tokens_per_s = 0;
  std::string precision;  // what was used: "fp32" or "bf16"
};

// Trains `model` with `loss` on the samples whose kind the loss uses, in an order shuffled by
// `seed`. Calls on_step with each step's log row. Throws std::runtime_error on a NaN or
// infinite loss, naming the step.
TrainSummary train_student(TrainableModel& model, Loss& loss, const std::vector<StepSample>& samples,
                           const TrainSettings& settings, std::uint64_t seed, RunLog& log,
                           const std::function<void(const TrainLogRow&)>& on_step);

// The learning rate at optimisation step `step` (1-based) under the warm-up and schedule.
double learning_rate_at(const TrainSettings& settings, std::int64_t step);

// The precision `settings.precision` means on this machine: "bf16" or "fp32".
std::string train_precision(const TrainSettings& settings);

}  // namespace steper
