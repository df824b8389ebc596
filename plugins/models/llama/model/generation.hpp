// Batched decoding: greedy or temperature/top-p sampling with a seed per request, a KV cache,
// stop strings, end-of-sequence tokens and a token limit per request; ragged prompts share
// one left-padded batch and finished sequences leave it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "batching.hpp"
#include "decoder.hpp"

namespace steper::llama {

struct DecodeOptions {
  int max_new_tokens = 64;
  std::vector<std::string> stop;  // the text ends before the first occurrence of any
  double temperature = 0.0;       // 0: greedy
  double top_p = 1.0;
  std::uint64_t seed = 0;
};

struct Decoded {
  TokenIds ids;                // generated tokens, up to and including an end-of-sequence token
  std::string text;            // decoded and cut before a stop string
  std::string finish_reason;   // "stop", "eos" or "length"
};

struct DecodeSetup {
  std::vector<std::int64_t> eos_ids;
  std::function<std::string(const TokenIds&)> detokenize;
  bool use_cache = true;  // false re-encodes the whole sequence each step (the reference)
};

// prompts: non-empty token sequences, one per options entry. Runs without autograd.
std::vector<Decoded> decode(CausalLm& lm, const std::vector<TokenIds>& prompts,
                            const std::vector<DecodeOptions>& options, const DecodeSetup& setup);

// The position in `text` where the earliest of `stops` begins, or npos.
std::size_t earliest_stop(const std::string& text, const std::vector<std::string>& stops);

}  // namespace steper::llama
