#include "batch_plan.hpp"

#include <algorithm>
#include <stdexcept>

namespace steper {

BatchPlan::BatchPlan(const std::vector<StepSample>& samples, const std::array<bool, kStepKindCount>& usable,
                     const TrainSettings& settings, int batch_size, std::uint64_t seed)
    : pools_(kStepKindCount + 1),
      cursors_(kStepKindCount + 1, 0),
      batch_size_(batch_size),
      window_batches_(std::max(1, settings.bucket_batches)),
      bucket_(settings.bucket_batches > 0),
      rng_(seed) {
  for (std::size_t i = 0; i < samples.size(); ++i) {
    lengths_.push_back(samples[i].prompt.size() + samples[i].target.size());
    const int kind = static_cast<int>(samples[i].kind);
    kinds_.push_back(kind);
    if (!usable[kind]) continue;
    pools_[kind].push_back(i);
    pools_[kAllKinds].push_back(i);
  }
  usable_count_ = pools_[kAllKinds].size();
  if (usable_count_ == 0) throw std::runtime_error("no training samples of a kind the loss uses");
  if (settings.mix == "shares") {
    for (int k = 0; k < kStepKindCount; ++k) shares_.push_back(pools_[k].empty() ? 0.0 : settings.mix_shares[k]);
    double total = 0;
    for (double share : shares_) total += share;
    if (!(total > 0))
      throw std::runtime_error("[train] mix gives a share only to kinds without samples (samples first/mid/final: " +
                               std::to_string(pools_[0].size()) + "/" + std::to_string(pools_[1].size()) + "/" +
                               std::to_string(pools_[2].size()) + ")");
  }
  for (int pool = 0; pool <= kAllKinds; ++pool) cursors_[pool] = pools_[pool].size();  // shuffle before first use
}

std::vector<std::size_t> BatchPlan::next() {
  if (ready_.empty()) plan_window();
  std::vector<std::size_t> batch = std::move(ready_.front());
  ready_.pop_front();
  return batch;
}

std::size_t BatchPlan::draw_from(int pool) {
  auto& indices = pools_[pool];
  if (cursors_[pool] == indices.size()) {
    std::shuffle(indices.begin(), indices.end(), rng_);
    cursors_[pool] = 0;
  }
  return indices[cursors_[pool]++];
}

std::size_t BatchPlan::draw() {
  if (shares_.empty()) return draw_from(kAllKinds);
  std::discrete_distribution<int> kind(shares_.begin(), shares_.end());
  return draw_from(kind(rng_));
}

// With bucketing, a window of samples is cut into batches of similar lengths without changing
// the kinds' shares in each batch: every kind's samples are ranked by length, the window is
// ordered by that rank as a fraction of the kind's count, then cut. The batches are shuffled
// so that lengths do not come in order.
void BatchPlan::plan_window() {
  std::vector<std::size_t> window;
  const std::size_t size = static_cast<std::size_t>(window_batches_) * static_cast<std::size_t>(batch_size_);
  for (std::size_t i = 0; i < size; ++i) window.push_back(draw());
  if (bucket_) {
    std::array<std::vector<std::size_t>, kStepKindCount> by_kind;
    for (std::size_t position = 0; position < window.size(); ++position)
      by_kind[kinds_[window[position]]].push_back(position);
    std::vector<double> quantile(window.size());
    for (auto& positions : by_kind) {
      std::stable_sort(positions.begin(), positions.end(),
                       [&](std::size_t a, std::size_t b) { return lengths_[window[a]] < lengths_[window[b]]; });
      for (std::size_t rank = 0; rank < positions.size(); ++rank)
        quantile[positions[rank]] = (static_cast<double>(rank) + 0.5) / static_cast<double>(positions.size());
    }
    std::vector<std::size_t> order(window.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return quantile[a] < quantile[b]; });
    std::vector<std::size_t> sorted;
    for (std::size_t position : order) sorted.push_back(window[position]);
    window = std::move(sorted);
  }
  std::vector<std::vector<std::size_t>> batches;
  for (std::size_t start = 0; start < window.size(); start += batch_size_)
    batches.emplace_back(window.begin() + start, window.begin() + start + batch_size_);
  if (bucket_) std::shuffle(batches.begin(), batches.end(), rng_);
  for (auto& batch : batches) ready_.push_back(std::move(batch));
}

}  // namespace steper
