// Writing config.json as transformers' save_pretrained does: sorted keys, two-space indent.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "atomic_file.hpp"
#include "hf_config.hpp"

namespace steper::checkpoint {

void write_hf_config(const std::filesystem::path& config_json, const DecoderConfig& config) {
  using nlohmann::json;
  check_decoder_config(config, fmt::format("writing config '{}'", config_json.string()));
  json root = {
      {"architectures", json::array({std::string(*architecture_of(config.model_type))})},
      {"model_type", config.model_type},
      {"vocab_size", config.vocab_size},
      {"hidden_size", config.hidden_size},
      {"intermediate_size", config.intermediate_size},
      {"num_hidden_layers", config.num_hidden_layers},
      {"num_attention_heads", config.num_attention_heads},
      {"num_key_value_heads", config.num_key_value_heads},
      {"head_dim", config.head_dim},
      {"max_position_embeddings", config.max_position_embeddings},
      {"rms_norm_eps", config.rms_norm_eps},
      {"rope_theta", config.rope_theta},
      {"rope_scaling", nullptr},
      {"tie_word_embeddings", config.tie_word_embeddings},
      {"bos_token_id", nullptr},
      {"eos_token_id", nullptr},
      {"hidden_act", config.hidden_act},
      {"torch_dtype", config.torch_dtype},
      {"attention_dropout", 0.0},
      {"use_cache", true},
  };
  if (config.rope_scaling) {
    const RopeScaling& scaling = *config.rope_scaling;
    root["rope_scaling"] = {{"rope_type", scaling.rope_type},
                            {"factor", scaling.factor},
                            {"low_freq_factor", scaling.low_freq_factor},
                            {"high_freq_factor", scaling.high_freq_factor},
                            {"original_max_position_embeddings", scaling.original_max_position_embeddings}};
  }
  if (config.bos_token_id) root["bos_token_id"] = *config.bos_token_id;
  if (config.eos_token_ids.size() == 1) {
    root["eos_token_id"] = config.eos_token_ids.front();
  } else if (!config.eos_token_ids.empty()) {
    root["eos_token_id"] = config.eos_token_ids;
  }
  if (config.model_type == "qwen2") {
    // Published Qwen2.5 configs disable the sliding window this way; the window spans every layer.
    root["use_sliding_window"] = false;
    root["sliding_window"] = config.max_position_embeddings;
    root["max_window_layers"] = config.num_hidden_layers;
  } else {
    root["attention_bias"] = false;
    root["mlp_bias"] = false;
  }
  write_text_file(config_json, root.dump(2) + "\n");
}

}  // namespace steper::checkpoint
