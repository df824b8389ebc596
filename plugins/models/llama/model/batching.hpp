// Token sequences of different lengths as padded batches: right-padded with a target mask for
// teacher-forced training, left-padded for generation so every sequence ends at the same column.
#pragma once

#include <cstdint>
#include <vector>

#include <torch/torch.h>

#include "decoder.hpp"

namespace steper::llama {

using TokenIds = std::vector<std::int32_t>;

// A training sample: the model reads prompt + target and is scored on the target tokens.
struct PromptTarget {
  TokenIds prompt;
  TokenIds target;
};

struct TrainingBatch {
  torch::Tensor ids;             // (B,T) int64, right-padded
  AttentionInput attention;      // causal; padding sits after the real tokens and is never read
  torch::Tensor predict_from;    // (N) int64 flat indexes into (B*T) whose next token is a target token
  torch::Tensor labels;          // (N) int64 the target tokens
  torch::Tensor sample_of;       // (N) int64 which sample each target token belongs to
  std::int64_t total_tokens = 0; // real tokens, prompt included
};

// Each sample's prompt is cut from the left so prompt + target fit `max_tokens`; a target longer
// than max_tokens - 1 keeps its first tokens.
TrainingBatch make_training_batch(const std::vector<PromptTarget>& samples, std::int64_t max_tokens,
                                  const torch::Device& device);

// The attention of a left-padded generation batch, grown one token per step.
class GenerationMask {
 public:
  // prompts: each non-empty; returns the (B,P) ids and the inputs of the first pass.
  GenerationMask(const std::vector<TokenIds>& prompts, const torch::Device& device);
  const torch::Tensor& prompt_ids() const { return prompt_ids_; }
  AttentionInput prompt_input() const;
  // After one new token per row: its input, attending over every valid key so far.
  AttentionInput next_input();
  // All keys so far as one pass (used to check the cache against recomputation).
  AttentionInput full_input() const;
  void select_rows(const torch::Tensor& rows);

 private:
  torch::Tensor prompt_ids_;  // (B,P)
  torch::Tensor key_valid_;   // (B,S) bool: real tokens (not left padding)
  torch::Tensor positions_;   // (B,S) int64 rotary position of each key
};

// The additive mask value for keys a query must not see: finite, so rows with no visible key
// (left padding) stay finite and cannot turn cached values into NaN.
inline constexpr float kMasked = -1e9f;

}  // namespace steper::llama
