#include "batching.hpp"

#include <algorithm>
#include <numeric>

namespace steper::llama {
namespace {

// (B,S) key validity and (T) query columns -> (B,1,T,S) additive causal mask: query at column
// q (of the last T columns) sees valid keys at columns <= q.
torch::Tensor causal_mask(const torch::Tensor& key_valid, std::int64_t queries) {
  const auto s = key_valid.size(1);
  const auto key_column = torch::arange(s, key_valid.options().dtype(torch::kLong));
  const auto query_column = torch::arange(s - queries, s, key_column.options()).unsqueeze(1);  // (T,1)
  const auto visible = (key_column.unsqueeze(0) <= query_column).unsqueeze(0) & key_valid.unsqueeze(1);  // (B,T,S)
  return torch::zeros(visible.sizes(), torch::kFloat).masked_fill(visible.logical_not(), kMasked).unsqueeze(1);
}

// (B,T) sample of each column (-1: padding) -> (B,1,T,T) additive mask: a token sees the
// tokens of its own sample up to itself, so samples packed in one row do not see each other.
torch::Tensor packed_mask(const torch::Tensor& segment) {
  const auto t = segment.size(1);
  const auto same_sample = segment.unsqueeze(2) == segment.unsqueeze(1);  // (B,T,T)
  const auto visible = same_sample & torch::ones({t, t}, torch::kBool).tril() & (segment >= 0).unsqueeze(1);
  return torch::zeros(visible.sizes(), torch::kFloat).masked_fill(visible.logical_not(), kMasked).unsqueeze(1);
}

// A sample as the model reads it: prompt + target, cut to max_tokens.
struct FittedSample {
  TokenIds tokens;
  std::size_t prompt_length = 0;
};

// The prompt is cut from the left so prompt + target fit max_tokens; a target longer than
// max_tokens - 1 keeps its first tokens.
FittedSample fit(const PromptTarget& sample, std::int64_t max_tokens) {
  const auto limit = static_cast<std::size_t>(max_tokens);
  const std::size_t target_length = std::min(sample.target.size(), limit - 1);
  const std::size_t prompt_length = std::min(sample.prompt.size(), limit - target_length);
  FittedSample fitted;
  fitted.tokens.assign(sample.prompt.end() - static_cast<std::ptrdiff_t>(prompt_length), sample.prompt.end());
  fitted.tokens.insert(fitted.tokens.end(), sample.target.begin(),
                       sample.target.begin() + static_cast<std::ptrdiff_t>(target_length));
  fitted.prompt_length = prompt_length;
  return fitted;
}

std::vector<FittedSample> fit_all(const std::vector<PromptTarget>& samples, std::int64_t max_tokens) {
  std::vector<FittedSample> fitted;
  for (const auto& sample : samples) fitted.push_back(fit(sample, max_tokens));
  return fitted;
}

// The batch of `rows`, each a list of sample indexes laid end to end and right-padded. Every
// sample counts its positions from 0; rows of several samples get a block-diagonal mask.
TrainingBatch lay_out(const std::vector<FittedSample>& samples, const std::vector<std::vector<std::size_t>>& rows,
                      const torch::Device& device) {
  const auto b = static_cast<std::int64_t>(rows.size());
  std::int64_t t = 1;
  bool packed = false;
  for (const auto& row : rows) {
    std::int64_t length = 0;
    for (const std::size_t i : row) length += static_cast<std::int64_t>(samples[i].tokens.size());
    t = std::max(t, length);
    packed = packed || row.size() > 1;
  }
  TrainingBatch batch;
  auto ids = torch::zeros({b, t}, torch::kLong);
  auto positions = torch::zeros({b, t}, torch::kLong);
  auto segment = torch::full({b, t}, -1, torch::kLong);
  auto ids_at = ids.accessor<std::int64_t, 2>();
  auto positions_at = positions.accessor<std::int64_t, 2>();
  auto segment_at = segment.accessor<std::int64_t, 2>();
  std::vector<std::int64_t> predict_from, labels, sample_of;
  for (std::int64_t r = 0; r < b; ++r) {
    std::int64_t column = 0;
    for (const std::size_t i : rows[static_cast<std::size_t>(r)]) {
      const FittedSample& sample = samples[i];
      for (std::size_t k = 0; k < sample.tokens.size(); ++k, ++column) {
        ids_at[r][column] = sample.tokens[k];
        positions_at[r][column] = static_cast<std::int64_t>(k);
        segment_at[r][column] = static_cast<std::int64_t>(i);
        // Token k is a target if k >= prompt length; it is predicted at the column before it.
        if (k >= sample.prompt_length && k > 0) {
          predict_from.push_back(r * t + column - 1);
          labels.push_back(sample.tokens[k]);
          sample_of.push_back(static_cast<std::int64_t>(i));
        }
      }
      batch.total_tokens += static_cast<std::int64_t>(sample.tokens.size());
    }
  }
  batch.ids = ids.to(device);
  batch.attention.positions = positions.to(device);
  // Padding sits after a lone sample's tokens, where causality already hides it.
  batch.attention.mask = (packed ? packed_mask(segment) : causal_mask(torch::ones({1, t}, torch::kBool), t)).to(device);
  batch.predict_from = torch::tensor(predict_from, torch::kLong).to(device);
  batch.labels = torch::tensor(labels, torch::kLong).to(device);
  batch.sample_of = torch::tensor(sample_of, torch::kLong).to(device);
  return batch;
}

}  // namespace

TrainingBatch make_training_batch(const std::vector<PromptTarget>& samples, std::int64_t max_tokens,
                                  const torch::Device& device) {
  std::vector<std::vector<std::size_t>> rows;
  for (std::size_t i = 0; i < samples.size(); ++i) rows.push_back({i});
  return lay_out(fit_all(samples, max_tokens), rows, device);
}

TrainingBatch make_packed_training_batch(const std::vector<PromptTarget>& samples, std::int64_t max_tokens,
                                         std::int64_t row_tokens, const torch::Device& device) {
  const std::vector<FittedSample> fitted = fit_all(samples, max_tokens);
  std::vector<std::size_t> longest_first(fitted.size());
  std::iota(longest_first.begin(), longest_first.end(), std::size_t{0});
  auto length = [&](std::size_t i) { return fitted[i].tokens.size(); };
  std::stable_sort(longest_first.begin(), longest_first.end(), [&](auto a, auto b) { return length(a) > length(b); });
  const auto cap = static_cast<std::size_t>(std::clamp<std::int64_t>(row_tokens, 1, max_tokens));
  const std::size_t capacity = fitted.empty() ? cap : std::max(cap, length(longest_first[0]));
  std::vector<std::vector<std::size_t>> rows;
  std::vector<std::size_t> used;
  for (const std::size_t i : longest_first) {  // first fit, longest first
    std::size_t r = 0;
    while (r < rows.size() && used[r] + length(i) > capacity) ++r;
    if (r == rows.size()) {
      rows.emplace_back();
      used.push_back(0);
    }
    rows[r].push_back(i);
    used[r] += length(i);
  }
  return lay_out(fitted, rows, device);
}

GenerationMask::GenerationMask(const std::vector<TokenIds>& prompts, const torch::Device& device) {
  const auto b = static_cast<std::int64_t>(prompts.size());
  std::size_t longest = 1;
  for (const auto& prompt : prompts) longest = std::max(longest, prompt.size());
  const auto p = static_cast<std::int64_t>(longest);
  auto ids = torch::zeros({b, p}, torch::kLong);
  auto valid = torch::zeros({b, p}, torch::kBool);
  auto ids_at = ids.accessor<std::int64_t, 2>();
  auto valid_at = valid.accessor<bool, 2>();
  for (std::int64_t row = 0; row < b; ++row) {
    const auto& prompt = prompts[row];
    const auto pad = p - static_cast<std::int64_t>(prompt.size());
    for (std::size_t i = 0; i < prompt.size(); ++i) {
      ids_at[row][pad + static_cast<std::int64_t>(i)] = prompt[i];
      valid_at[row][pad + static_cast<std::int64_t>(i)] = true;
    }
  }
  prompt_ids_ = ids.to(device);
  key_valid_ = valid.to(device);
  positions_ = (key_valid_.to(torch::kLong).cumsum(/*dim=*/1) - 1).clamp_min(0);
}

AttentionInput GenerationMask::prompt_input() const {
  return {positions_, causal_mask(key_valid_, key_valid_.size(1))};
}

AttentionInput GenerationMask::next_input() {
  const auto next_position = positions_.select(/*dim=*/1, -1).unsqueeze(1) + 1;  // (B,1)
  positions_ = torch::cat({positions_, next_position}, /*dim=*/1);
  key_valid_ = torch::cat({key_valid_, torch::ones_like(key_valid_.slice(/*dim=*/1, 0, 1))}, /*dim=*/1);
  return {next_position, causal_mask(key_valid_, 1)};
}

AttentionInput GenerationMask::full_input() const {
  return {positions_, causal_mask(key_valid_, key_valid_.size(1))};
}

void GenerationMask::select_rows(const torch::Tensor& rows) {
  key_valid_ = key_valid_.index_select(0, rows);
  positions_ = positions_.index_select(0, rows);
  prompt_ids_ = prompt_ids_.index_select(0, rows);
}

}  // namespace steper::llama
