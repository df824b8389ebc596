// Which step-wise samples make each batch: kinds mixed as configured, lengths bucketed, in an
// order that depends only on the seed, so a resumed run replays the same batches.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <random>
#include <vector>

#include "steper/types.hpp"
#include "train_settings.hpp"

namespace steper {

class BatchPlan {
 public:
  // `usable[k]` says whether the loss trains on kind k. Throws std::runtime_error when no
  // sample is usable. Each batch holds `batch_size` samples.
  BatchPlan(const std::vector<StepSample>& samples, const std::array<bool, kStepKindCount>& usable,
            const TrainSettings& settings, int batch_size, std::uint64_t seed);

  // Indices into the samples of the next batch.
  std::vector<std::size_t> next();
  std::size_t usable_samples() const { return usable_count_; }

 private:
  std::size_t draw();               // the next sample index by the mix
  std::size_t draw_from(int pool);  // the next index of pool (a kind, or kAllKinds), reshuffled when used up
  void plan_window();               // fills ready_ with the next window of batches

  static constexpr int kAllKinds = kStepKindCount;
  std::vector<std::size_t> lengths_;                       // prompt + target bytes per sample
  std::vector<int> kinds_;                                 // StepKind per sample
  std::vector<std::vector<std::size_t>> pools_;            // per kind, then all usable kinds
  std::vector<std::size_t> cursors_;
  std::vector<double> shares_;                             // per kind; empty for proportional
  std::size_t usable_count_ = 0;
  int batch_size_;
  int window_batches_;
  bool bucket_;
  std::mt19937_64 rng_;
  std::deque<std::vector<std::size_t>> ready_;
};

}  // namespace steper
