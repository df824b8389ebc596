// The `llama` plugin's TOML table: where the model comes from (a Hugging Face checkpoint, or
// sizes for a model trained from scratch), its tokenizer, and how it computes.
#pragma once

#include <cstdint>
#include <string>

#include "bpe_tokenizer.hpp"
#include "hf_config.hpp"
#include "steper/settings.hpp"

namespace steper::llama {

struct LlamaSettings {
  std::string checkpoint;        // a Hugging Face folder; when set, the sizes below are not used
  std::string tokenizer;         // a tokenizer.json; when empty, one is trained on the samples
  std::int64_t tokenizer_vocab = 4096;  // size of that trained tokenizer's vocabulary
  std::string family = "llama";  // "llama" or "qwen2" (q/k/v biases)
  std::int64_t layers = 4;
  std::int64_t hidden = 256;
  std::int64_t heads = 4;
  std::int64_t kv_heads = 0;        // 0: as many as heads
  std::int64_t intermediate = 0;    // 0: 8/3 x hidden rounded up to a multiple of 64, as Llama does
  std::int64_t context = 1024;      // tokens
  double rope_theta = 10000.0;
  double rms_norm_eps = 1e-5;
  bool tie_embeddings = true;
  double init_std = 0.02;
  std::string dtype = "float32";    // weights: "float32", "bfloat16" or "float16"
  bool gradient_checkpointing = false;
  int generation_batch = 16;        // prompts decoded together; larger calls are split
  std::string generation_precision = "auto";  // "fp32", "bf16" (autocast) or "auto": bf16 where the CPU has bf16 units

  // Reads and checks the table; a value out of range fails at its location.
  static LlamaSettings read(Settings& settings);
};

// The decoder of a model trained from scratch; the vocabulary and special tokens come from the tokenizer.
checkpoint::DecoderConfig new_decoder_config(const LlamaSettings& settings, const bpe::Tokenizer& tokenizer);
bpe::BpeTrainOptions tokenizer_training_options(const LlamaSettings& settings);
// Whether two configs describe tensors of the same names and shapes.
bool same_architecture(const checkpoint::DecoderConfig& a, const checkpoint::DecoderConfig& b);

}  // namespace steper::llama
