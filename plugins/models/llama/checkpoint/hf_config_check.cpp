// What makes a DecoderConfig one the llama plugin can build, plus the name tables of config.json.
#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

#include <fmt/format.h>

#include "checkpoint_error.hpp"
#include "hf_config.hpp"

namespace steper::checkpoint {
namespace {

struct ModelTypeRow {
  std::string_view model_type;
  std::string_view architecture;
};
constexpr std::array<ModelTypeRow, 2> kModelTypes{{
    {"llama", "LlamaForCausalLM"},
    {"qwen2", "Qwen2ForCausalLM"},
}};

constexpr std::array<std::string_view, 3> kTorchDTypes{"bfloat16", "float16", "float32"};

[[noreturn]] void fail(const std::string& where, std::string_view key, const std::string& problem) {
  throw CheckpointError(fmt::format("{}: key '{}': {}", where, key, problem));
}

void check_positive(const std::string& where, std::string_view key, std::int64_t value) {
  if (value <= 0) fail(where, key, fmt::format("must be positive, found {}", value));
}

void check_positive(const std::string& where, std::string_view key, double value) {
  if (!(value > 0.0) || !std::isfinite(value)) fail(where, key, fmt::format("must be a positive number, found {}", value));
}

void check_token(const std::string& where, std::string_view key, std::int64_t token, std::int64_t vocab_size) {
  if (token < 0 || token >= vocab_size) {
    fail(where, key, fmt::format("token id {} is outside the vocabulary [0, {})", token, vocab_size));
  }
}

void check_rope_scaling(const std::string& where, const RopeScaling& scaling) {
  if (scaling.rope_type != "llama3") {
    fail(where, "rope_scaling.rope_type", fmt::format("\"{}\" is not supported (expected \"llama3\")", scaling.rope_type));
  }
  if (!(scaling.factor >= 1.0) || !std::isfinite(scaling.factor)) {
    fail(where, "rope_scaling.factor", fmt::format("must be at least 1, found {}", scaling.factor));
  }
  check_positive(where, "rope_scaling.low_freq_factor", scaling.low_freq_factor);
  check_positive(where, "rope_scaling.high_freq_factor", scaling.high_freq_factor);
  if (!(scaling.high_freq_factor > scaling.low_freq_factor)) {
    fail(where, "rope_scaling.high_freq_factor",
         fmt::format("must exceed low_freq_factor ({}), found {}", scaling.low_freq_factor, scaling.high_freq_factor));
  }
  check_positive(where, "rope_scaling.original_max_position_embeddings", scaling.original_max_position_embeddings);
}

void check_attention_bias(const std::string& where, const DecoderConfig& config) {
  const bool qwen2 = config.model_type == "qwen2";
  if (config.attention_bias != qwen2) {
    fail(where, "attention_bias",
         fmt::format("must be {} for model_type \"{}\" ({}), found {}", qwen2, config.model_type,
                     qwen2 ? "its q, k, v projections always have biases"
                           : "Llama's attention_bias would bias o_proj too, which is not supported",
                     config.attention_bias));
  }
}

}  // namespace

std::optional<std::string_view> architecture_of(std::string_view model_type) {
  for (const ModelTypeRow& row : kModelTypes) {
    if (row.model_type == model_type) return row.architecture;
  }
  return std::nullopt;
}

void check_decoder_config(const DecoderConfig& config, const std::string& where) {
  if (!architecture_of(config.model_type)) {
    fail(where, "model_type", fmt::format("\"{}\" is not supported (expected \"llama\" or \"qwen2\")", config.model_type));
  }
  const std::pair<std::string_view, std::int64_t> sizes[] = {
      {"vocab_size", config.vocab_size},
      {"hidden_size", config.hidden_size},
      {"intermediate_size", config.intermediate_size},
      {"num_hidden_layers", config.num_hidden_layers},
      {"num_attention_heads", config.num_attention_heads},
      {"num_key_value_heads", config.num_key_value_heads},
      {"head_dim", config.head_dim},
      {"max_position_embeddings", config.max_position_embeddings},
  };
  for (const auto& [key, value] : sizes) check_positive(where, key, value);
  if (config.num_attention_heads % config.num_key_value_heads != 0) {
    fail(where, "num_key_value_heads", fmt::format("{} does not divide num_attention_heads ({})",
                                                   config.num_key_value_heads, config.num_attention_heads));
  }
  if (config.head_dim % 2 != 0) {
    fail(where, "head_dim", fmt::format("must be even (rotary embeddings turn pairs of dimensions), found {}", config.head_dim));
  }
  check_positive(where, "rms_norm_eps", config.rms_norm_eps);
  check_positive(where, "rope_theta", config.rope_theta);
  if (config.rope_scaling) check_rope_scaling(where, *config.rope_scaling);
  check_attention_bias(where, config);
  if (config.bos_token_id) check_token(where, "bos_token_id", *config.bos_token_id, config.vocab_size);
  for (const std::int64_t eos : config.eos_token_ids) check_token(where, "eos_token_id", eos, config.vocab_size);
  if (std::find(kTorchDTypes.begin(), kTorchDTypes.end(), config.torch_dtype) == kTorchDTypes.end()) {
    fail(where, "torch_dtype", fmt::format("\"{}\" is not supported (expected bfloat16, float16 or float32)",
                                           config.torch_dtype));
  }
  if (config.hidden_act != "silu") {
    fail(where, "hidden_act", fmt::format("\"{}\" is not supported (expected \"silu\")", config.hidden_act));
  }
}

}  // namespace steper::checkpoint
