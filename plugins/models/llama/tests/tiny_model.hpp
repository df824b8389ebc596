// Tiny decoder configurations the model tests build for themselves.
#pragma once

#include "decoder.hpp"

namespace steper::llama::testing {

// vocab 64, hidden 32, 2 layers, 4 query heads over 2 key/value heads, context 64.
inline DecoderConfig tiny_config(bool tied = true, const std::string& family = "llama") {
  DecoderConfig c;
  c.model_type = family;
  c.vocab_size = 64;
  c.hidden_size = 32;
  c.intermediate_size = 48;
  c.num_hidden_layers = 2;
  c.num_attention_heads = 4;
  c.num_key_value_heads = 2;
  c.head_dim = 8;
  c.max_position_embeddings = 64;
  c.rms_norm_eps = 1e-5;
  c.rope_theta = 10000.0;
  c.tie_word_embeddings = tied;
  c.attention_bias = family == "qwen2";
  c.torch_dtype = "float32";
  return c;
}

inline CausalLm tiny_model(const DecoderConfig& config, std::uint64_t seed = 7, double init_std = 0.2) {
  torch::manual_seed(seed);
  CausalLm lm(config, init_std);
  lm->eval();
  return lm;
}

}  // namespace steper::llama::testing
