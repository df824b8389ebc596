// The [train] table: optimisation, batching, checkpoints and dev evaluation. No LibTorch.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "steper/types.hpp"

namespace steper {

class Settings;

struct TrainSettings {
  std::int64_t steps = 100;     // optimisation steps (or derived from `epochs`)
  double epochs = 0;            // > 0: steps = ceil(epochs x usable samples / samples per step)
  int batch_size = 8;           // samples per micro-batch
  int accumulation = 1;         // micro-batches whose gradients make one optimisation step
  double lr = 1e-3;             // AdamW peak learning rate
  std::int64_t warmup_steps = 0;   // linear warm-up from 0 to lr
  std::string schedule = "constant";  // after warm-up: "constant", "cosine" or "linear" decay to min_lr_ratio x lr
  double min_lr_ratio = 0.0;
  double clip_norm = 0.0;       // clip the global gradient norm to this; 0 = no clipping
  double weight_decay = 0.0;    // AdamW decoupled weight decay
  std::string precision = "auto";  // "fp32", "bf16" (autocast), or "auto": bf16 where the CPU has bf16 units
  // How batches mix the kinds: "proportional" (as the samples come) or "shares": each slot of a
  // batch draws its kind by mix_shares (mix = "balanced" or [first, mid, final] in TOML).
  std::string mix = "proportional";
  std::array<double, kStepKindCount> mix_shares{1, 1, 1};
  int bucket_batches = 16;      // batches grouped by length together (kinds keep their shares); 0 = none
  std::int64_t checkpoint_every = 50;  // steps between resumable checkpoints; 0 = none
  std::int64_t eval_every = 0;  // steps between dev evaluations; 0 = none
  int dev_questions = 50;       // dev questions per evaluation; 0 = all
  std::string dev_metric = "acc";  // "acc", "em" or "f1"
  std::string keep = "last";    // the weights evaluated after training: "last", or "best" by dev_metric
  int world_size = 1;           // processes training one model data-parallel (each takes batch_size samples)
  double collective_timeout_s = 300;  // the longest a rank waits for the others (a dead rank ends the cell)
  std::string filter = "acc";   // which teacher trajectories are kept: "acc", "em" or "none"
  bool bridge_filter = false;   // also drop trajectories whose bridge sentences lack retrieved evidence

  // Reads the [train] table; rejects values out of range at their location.
  static TrainSettings read(const Settings& table);

  // Optimisation steps for `usable_samples` samples and `world_size` processes.
  std::int64_t total_steps(std::size_t usable_samples, int world_size = 1) const;
};

// The learning rate at optimisation step `step` (1-based) of `total_steps` under the warm-up
// and schedule.
double learning_rate_at(const TrainSettings& settings, std::int64_t step, std::int64_t total_steps);

// The precision `settings.precision` means on this machine: "bf16" or "fp32".
std::string train_precision(const TrainSettings& settings);

}  // namespace steper
