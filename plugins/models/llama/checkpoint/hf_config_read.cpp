// Reading config.json: typed keys with transformers' defaults, then check_decoder_config.
#include <limits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "checkpoint_error.hpp"
#include "hf_config.hpp"
#include "json_file.hpp"

namespace steper::checkpoint {
namespace {

using nlohmann::json;

// Typed access to the keys of one JSON object; `prefix` makes nested keys read "rope_scaling.factor".
class ConfigKeys {
 public:
  ConfigKeys(const json& object, const std::string& where, std::string prefix = "")
      : object_(object), where_(where), prefix_(std::move(prefix)) {}

  [[noreturn]] void fail(std::string_view key, const std::string& problem) const {
    throw CheckpointError(fmt::format("{}: key '{}{}': {}", where_, prefix_, key, problem));
  }

  // nullptr when the key is absent or null, which transformers treats alike.
  const json* find(std::string_view key) const {
    const auto it = object_.find(key);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }

  std::int64_t integer_of(std::string_view key, const json& value) const {
    const bool fits = value.is_number_integer() &&
                      (!value.is_number_unsigned() ||
                       value.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()));
    if (!fits) fail(key, fmt::format("must be an integer, found {}", value.dump()));
    return value.get<std::int64_t>();
  }

  std::optional<std::int64_t> integer(std::string_view key) const {
    const json* value = find(key);
    if (value == nullptr) return std::nullopt;
    return integer_of(key, *value);
  }

  std::int64_t required_integer(std::string_view key) const {
    const auto value = integer(key);
    if (!value) fail(key, "missing (required)");
    return *value;
  }

  double number(std::string_view key, double fallback) const {
    const json* value = find(key);
    if (value == nullptr) return fallback;
    if (!value->is_number()) fail(key, fmt::format("must be a number, found {}", value->dump()));
    return value->get<double>();
  }

  double required_number(std::string_view key) const {
    if (find(key) == nullptr) fail(key, "missing (required)");
    return number(key, 0.0);
  }

  bool boolean(std::string_view key, bool fallback) const {
    const json* value = find(key);
    if (value == nullptr) return fallback;
    if (!value->is_boolean()) fail(key, fmt::format("must be true or false, found {}", value->dump()));
    return value->get<bool>();
  }

  std::optional<std::string> string(std::string_view key) const {
    const json* value = find(key);
    if (value == nullptr) return std::nullopt;
    if (!value->is_string()) fail(key, fmt::format("must be a string, found {}", value->dump()));
    return value->get<std::string>();
  }

 private:
  const json& object_;
  const std::string& where_;
  std::string prefix_;
};

std::optional<RopeScaling> read_rope_scaling(const ConfigKeys& keys, const std::string& where) {
  const json* object = keys.find("rope_scaling");
  if (object == nullptr) return std::nullopt;
  if (!object->is_object()) keys.fail("rope_scaling", fmt::format("must be an object or null, found {}", object->dump()));
  const ConfigKeys scaling_keys(*object, where, "rope_scaling.");
  // transformers renamed "type" to "rope_type"; published configs use either.
  const std::string_view type_key = scaling_keys.find("rope_type") != nullptr ? "rope_type" : "type";
  const auto type = scaling_keys.string(type_key);
  if (!type) scaling_keys.fail("rope_type", "missing (required in rope_scaling)");
  if (*type == "default") return std::nullopt;
  if (*type != "llama3") scaling_keys.fail(type_key, fmt::format("\"{}\" is not supported (expected \"llama3\")", *type));
  RopeScaling scaling;
  scaling.rope_type = *type;
  scaling.factor = scaling_keys.required_number("factor");
  scaling.low_freq_factor = scaling_keys.required_number("low_freq_factor");
  scaling.high_freq_factor = scaling_keys.required_number("high_freq_factor");
  scaling.original_max_position_embeddings = scaling_keys.required_integer("original_max_position_embeddings");
  return scaling;
}

std::vector<std::int64_t> read_eos_token_ids(const ConfigKeys& keys) {
  const json* value = keys.find("eos_token_id");
  if (value == nullptr) return {};
  if (!value->is_array()) return {keys.integer_of("eos_token_id", *value)};
  std::vector<std::int64_t> ids;
  for (const json& id : *value) ids.push_back(keys.integer_of("eos_token_id", id));
  return ids;
}

std::string read_torch_dtype(const ConfigKeys& keys, const std::string& fallback) {
  // transformers 4.56 renamed "torch_dtype" to "dtype"; check_decoder_config checks the name.
  return keys.string(keys.find("torch_dtype") != nullptr ? "torch_dtype" : "dtype").value_or(fallback);
}

}  // namespace

DecoderConfig read_hf_config(const std::filesystem::path& config_json) {
  const std::string where = fmt::format("config '{}'", config_json.string());
  const json root = read_json_object(config_json, where);
  const ConfigKeys keys(root, where);

  DecoderConfig config;
  const auto model_type = keys.string("model_type");
  if (!model_type) keys.fail("model_type", "missing (required)");
  config.model_type = *model_type;
  config.vocab_size = keys.required_integer("vocab_size");
  config.hidden_size = keys.required_integer("hidden_size");
  config.intermediate_size = keys.required_integer("intermediate_size");
  config.num_hidden_layers = keys.required_integer("num_hidden_layers");
  config.num_attention_heads = keys.required_integer("num_attention_heads");
  config.num_key_value_heads = keys.integer("num_key_value_heads").value_or(config.num_attention_heads);
  if (const auto head_dim = keys.integer("head_dim")) {
    config.head_dim = *head_dim;
  } else if (config.num_attention_heads > 0) {  // otherwise check_decoder_config names num_attention_heads
    if (config.hidden_size % config.num_attention_heads != 0) {
      keys.fail("num_attention_heads", fmt::format("{} does not divide hidden_size ({}) and no head_dim is given",
                                                   config.num_attention_heads, config.hidden_size));
    }
    config.head_dim = config.hidden_size / config.num_attention_heads;
  }
  config.max_position_embeddings = keys.required_integer("max_position_embeddings");
  config.rms_norm_eps = keys.number("rms_norm_eps", config.rms_norm_eps);
  config.rope_theta = keys.number("rope_theta", config.rope_theta);
  config.rope_scaling = read_rope_scaling(keys, where);
  config.tie_word_embeddings = keys.boolean("tie_word_embeddings", config.tie_word_embeddings);
  if (config.model_type == "qwen2") {
    config.attention_bias = true;
    if (keys.boolean("use_sliding_window", false)) keys.fail("use_sliding_window", "sliding-window attention is not supported");
  } else {
    if (keys.boolean("attention_bias", false)) keys.fail("attention_bias", "biases on q, k, v and o are not supported");
    if (keys.boolean("mlp_bias", false)) keys.fail("mlp_bias", "MLP biases are not supported");
  }
  config.bos_token_id = keys.integer("bos_token_id");
  config.eos_token_ids = read_eos_token_ids(keys);
  config.torch_dtype = read_torch_dtype(keys, config.torch_dtype);
  config.hidden_act = keys.string("hidden_act").value_or(config.hidden_act);
  check_decoder_config(config, where);
  return config;
}

}  // namespace steper::checkpoint
