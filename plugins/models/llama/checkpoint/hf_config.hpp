// The Hugging Face config.json of a Llama 2/3 or Qwen2/2.5 decoder: the fields that fix its
// shapes and arithmetic, checked, and written back so that transformers loads the result.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace steper::checkpoint {

// Llama 3.1's "llama3" rotary frequency scaling, the one rope_scaling type supported.
struct RopeScaling {
  std::string rope_type = "llama3";
  double factor = 8.0;
  double low_freq_factor = 1.0;
  double high_freq_factor = 4.0;
  std::int64_t original_max_position_embeddings = 8192;
};

struct DecoderConfig {
  std::string model_type;                       // "llama" or "qwen2"
  std::int64_t vocab_size = 0;                  // required
  std::int64_t hidden_size = 0;                 // required
  std::int64_t intermediate_size = 0;           // required
  std::int64_t num_hidden_layers = 0;           // required
  std::int64_t num_attention_heads = 0;         // required
  std::int64_t num_key_value_heads = 0;         // absent: num_attention_heads
  std::int64_t head_dim = 0;                    // absent: hidden_size / num_attention_heads
  std::int64_t max_position_embeddings = 0;     // required
  double rms_norm_eps = 1e-6;
  double rope_theta = 10000.0;
  std::optional<RopeScaling> rope_scaling;      // absent, null or {"rope_type": "default"}: none
  bool tie_word_embeddings = false;
  // Biases on q, k, v (not o): Qwen2's layout, so true exactly for qwen2. Llama's own
  // "attention_bias" key would also bias o_proj; the reader refuses it when true.
  bool attention_bias = false;
  std::optional<std::int64_t> bos_token_id;
  std::vector<std::int64_t> eos_token_ids;      // "eos_token_id": one integer or a list
  std::string torch_dtype = "float32";          // "torch_dtype" (or newer "dtype"): bfloat16, float16, float32
  std::string hidden_act = "silu";              // the only activation supported
};

// Throws CheckpointError naming the file and the key: missing or mistyped keys; an unsupported
// model_type, hidden_act, torch_dtype or rope_scaling type; Llama attention or MLP biases; a
// sliding window; sizes that do not fit together (non-positive, heads not dividing hidden_size,
// kv heads not dividing heads, odd head_dim); token ids outside the vocabulary.
DecoderConfig read_hf_config(const std::filesystem::path& config_json);

// Writes the keys transformers needs to build LlamaForCausalLM / Qwen2ForCausalLM; reading the
// file back gives `config` again. Throws CheckpointError for a config read_hf_config would refuse.
void write_hf_config(const std::filesystem::path& config_json, const DecoderConfig& config);

// The checks read_hf_config applies after filling defaults; `where` starts each message.
void check_decoder_config(const DecoderConfig& config, const std::string& where);

// "LlamaForCausalLM" for "llama", "Qwen2ForCausalLM" for "qwen2"; nullopt for other model types.
std::optional<std::string_view> architecture_of(std::string_view model_type);

}  // namespace steper::checkpoint
