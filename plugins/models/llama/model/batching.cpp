#include "batching.hpp"

#include <algorithm>

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

}  // namespace

TrainingBatch make_training_batch(const std::vector<PromptTarget>& samples, std::int64_t max_tokens,
                                  const torch::Device& device) {
  const auto b = static_cast<std::int64_t>(samples.size());
  std::vector<TokenIds> sequences;
  std::vector<std::size_t> prompt_lengths;
  std::size_t longest = 1;
  for (const auto& sample : samples) {
    const auto limit = static_cast<std::size_t>(max_tokens);
    const std::size_t target_length = std::min(sample.target.size(), limit - 1);
    const std::size_t prompt_length = std::min(sample.prompt.size(), limit - target_length);
    TokenIds sequence(sample.prompt.end() - static_cast<std::ptrdiff_t>(prompt_length), sample.prompt.end());
    sequence.insert(sequence.end(), sample.target.begin(), sample.target.begin() + static_cast<std::ptrdiff_t>(target_length));
    longest = std::max(longest, sequence.size());
    prompt_lengths.push_back(prompt_length);
    sequences.push_back(std::move(sequence));
  }
  const auto t = static_cast<std::int64_t>(longest);
  TrainingBatch batch;
  auto ids = torch::zeros({b, t}, torch::kLong);
  auto ids_at = ids.accessor<std::int64_t, 2>();
  std::vector<std::int64_t> predict_from, labels, sample_of;
  for (std::int64_t row = 0; row < b; ++row) {
    const auto& sequence = sequences[row];
    for (std::size_t col = 0; col < sequence.size(); ++col) {
      ids_at[row][static_cast<std::int64_t>(col)] = sequence[col];
      // The token at `col` is a target if col >= prompt length; it is predicted at col - 1.
      if (col >= prompt_lengths[row] && col > 0) {
        predict_from.push_back(row * t + static_cast<std::int64_t>(col) - 1);
        labels.push_back(sequence[col]);
        sample_of.push_back(row);
      }
    }
    batch.total_tokens += static_cast<std::int64_t>(sequence.size());
  }
  batch.ids = ids.to(device);
  batch.attention.positions = torch::arange(t, torch::kLong).unsqueeze(0).expand({b, t}).to(device);
  batch.attention.mask = causal_mask(torch::ones({1, t}, torch::kBool), t).to(device);
  batch.predict_from = torch::tensor(predict_from, torch::kLong).to(device);
  batch.labels = torch::tensor(labels, torch::kLong).to(device);
  batch.sample_of = torch::tensor(sample_of, torch::kLong).to(device);
  return batch;
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
