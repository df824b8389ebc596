// config.json: published Llama 2, Llama 3.1 and Qwen2.5 configs, the round trip, and refusals.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <functional>

#include <nlohmann/json.hpp>

#include "hf_config.hpp"
#include "test_support.hpp"

namespace steper::checkpoint {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using nlohmann::json;
using testing::TemporaryFolder;
using testing::error_of;

std::filesystem::path fixture(const std::string& model) {
  return std::filesystem::path(STEPER_CHECKPOINT_FIXTURES) / model / "config.json";
}

void expect_same_config(const DecoderConfig& a, const DecoderConfig& b) {
  EXPECT_EQ(a.model_type, b.model_type);
  EXPECT_EQ(a.vocab_size, b.vocab_size);
  EXPECT_EQ(a.hidden_size, b.hidden_size);
  EXPECT_EQ(a.intermediate_size, b.intermediate_size);
  EXPECT_EQ(a.num_hidden_layers, b.num_hidden_layers);
  EXPECT_EQ(a.num_attention_heads, b.num_attention_heads);
  EXPECT_EQ(a.num_key_value_heads, b.num_key_value_heads);
  EXPECT_EQ(a.head_dim, b.head_dim);
  EXPECT_EQ(a.max_position_embeddings, b.max_position_embeddings);
  EXPECT_EQ(a.rms_norm_eps, b.rms_norm_eps);
  EXPECT_EQ(a.rope_theta, b.rope_theta);
  ASSERT_EQ(a.rope_scaling.has_value(), b.rope_scaling.has_value());
  if (a.rope_scaling) {
    EXPECT_EQ(a.rope_scaling->rope_type, b.rope_scaling->rope_type);
    EXPECT_EQ(a.rope_scaling->factor, b.rope_scaling->factor);
    EXPECT_EQ(a.rope_scaling->low_freq_factor, b.rope_scaling->low_freq_factor);
    EXPECT_EQ(a.rope_scaling->high_freq_factor, b.rope_scaling->high_freq_factor);
    EXPECT_EQ(a.rope_scaling->original_max_position_embeddings, b.rope_scaling->original_max_position_embeddings);
  }
  EXPECT_EQ(a.tie_word_embeddings, b.tie_word_embeddings);
  EXPECT_EQ(a.attention_bias, b.attention_bias);
  EXPECT_EQ(a.bos_token_id, b.bos_token_id);
  EXPECT_EQ(a.eos_token_ids, b.eos_token_ids);
  EXPECT_EQ(a.torch_dtype, b.torch_dtype);
  EXPECT_EQ(a.hidden_act, b.hidden_act);
}

TEST(HfConfig, ReadsLlama31_8B) {
  const DecoderConfig config = read_hf_config(fixture("llama-3.1-8b"));
  EXPECT_EQ(config.model_type, "llama");
  EXPECT_EQ(config.vocab_size, 128256);
  EXPECT_EQ(config.hidden_size, 4096);
  EXPECT_EQ(config.intermediate_size, 14336);
  EXPECT_EQ(config.num_hidden_layers, 32);
  EXPECT_EQ(config.num_attention_heads, 32);
  EXPECT_EQ(config.num_key_value_heads, 8);
  EXPECT_EQ(config.head_dim, 128);
  EXPECT_EQ(config.max_position_embeddings, 131072);
  EXPECT_EQ(config.rms_norm_eps, 1e-5);
  EXPECT_EQ(config.rope_theta, 500000.0);
  ASSERT_TRUE(config.rope_scaling);
  EXPECT_EQ(config.rope_scaling->rope_type, "llama3");
  EXPECT_EQ(config.rope_scaling->factor, 8.0);
  EXPECT_EQ(config.rope_scaling->low_freq_factor, 1.0);
  EXPECT_EQ(config.rope_scaling->high_freq_factor, 4.0);
  EXPECT_EQ(config.rope_scaling->original_max_position_embeddings, 8192);
  EXPECT_FALSE(config.tie_word_embeddings);
  EXPECT_FALSE(config.attention_bias);
  EXPECT_EQ(config.bos_token_id, 128000);
  EXPECT_THAT(config.eos_token_ids, ElementsAre(128001, 128008, 128009));
  EXPECT_EQ(config.torch_dtype, "bfloat16");
  EXPECT_EQ(config.hidden_act, "silu");
}

TEST(HfConfig, ReadsLlama2_7B) {
  const DecoderConfig config = read_hf_config(fixture("llama-2-7b"));
  EXPECT_EQ(config.model_type, "llama");
  EXPECT_EQ(config.vocab_size, 32000);
  EXPECT_EQ(config.intermediate_size, 11008);
  EXPECT_EQ(config.num_key_value_heads, 32);
  EXPECT_EQ(config.head_dim, 128);
  EXPECT_EQ(config.max_position_embeddings, 4096);
  EXPECT_EQ(config.rope_theta, 10000.0);  // absent from the file: transformers' default
  EXPECT_FALSE(config.rope_scaling);       // null
  EXPECT_EQ(config.bos_token_id, 1);
  EXPECT_THAT(config.eos_token_ids, ElementsAre(2));
  EXPECT_EQ(config.torch_dtype, "float16");
  EXPECT_FALSE(config.attention_bias);
}

TEST(HfConfig, ReadsQwen25_05B) {
  const DecoderConfig config = read_hf_config(fixture("qwen2.5-0.5b"));
  EXPECT_EQ(config.model_type, "qwen2");
  EXPECT_EQ(config.vocab_size, 151936);
  EXPECT_EQ(config.hidden_size, 896);
  EXPECT_EQ(config.intermediate_size, 4864);
  EXPECT_EQ(config.num_hidden_layers, 24);
  EXPECT_EQ(config.num_attention_heads, 14);
  EXPECT_EQ(config.num_key_value_heads, 2);
  EXPECT_EQ(config.head_dim, 64);
  EXPECT_EQ(config.rms_norm_eps, 1e-6);
  EXPECT_EQ(config.rope_theta, 1e6);
  EXPECT_FALSE(config.rope_scaling);
  EXPECT_TRUE(config.tie_word_embeddings);
  EXPECT_TRUE(config.attention_bias);  // implied by model_type qwen2
  EXPECT_EQ(config.bos_token_id, 151643);
  EXPECT_THAT(config.eos_token_ids, ElementsAre(151643));
  EXPECT_EQ(config.torch_dtype, "bfloat16");
}

class HfConfigRoundTrip : public ::testing::TestWithParam<std::string> {};

TEST_P(HfConfigRoundTrip, WriteThenReadGivesTheSameConfig) {
  TemporaryFolder folder;
  const DecoderConfig original = read_hf_config(fixture(GetParam()));
  const auto path = folder.path() / "config.json";
  write_hf_config(path, original);
  expect_same_config(read_hf_config(path), original);

  const json written = json::parse(testing::read_file(path));
  const bool qwen = original.model_type == "qwen2";
  EXPECT_EQ(written.at("architectures"), json::array({qwen ? "Qwen2ForCausalLM" : "LlamaForCausalLM"}));
  EXPECT_EQ(written.at("torch_dtype"), json::parse(testing::read_file(fixture(GetParam()))).at("torch_dtype"));
  if (qwen) {
    EXPECT_EQ(written.at("use_sliding_window"), false);
    EXPECT_FALSE(written.contains("attention_bias"));
  } else {
    EXPECT_EQ(written.at("attention_bias"), false);
    EXPECT_EQ(written.at("mlp_bias"), false);
  }
}

INSTANTIATE_TEST_SUITE_P(Published, HfConfigRoundTrip, ::testing::Values("llama-3.1-8b", "llama-2-7b", "qwen2.5-0.5b"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           for (char& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return name;
                         });

TEST(HfConfig, WritesEosAsTheFileHadIt) {
  TemporaryFolder folder;
  DecoderConfig config = read_hf_config(fixture("llama-3.1-8b"));
  const auto path = folder.path() / "config.json";
  write_hf_config(path, config);
  EXPECT_EQ(json::parse(testing::read_file(path)).at("eos_token_id"), json::array({128001, 128008, 128009}));
  config.eos_token_ids = {7};
  config.bos_token_id.reset();
  write_hf_config(path, config);
  const json written = json::parse(testing::read_file(path));
  EXPECT_EQ(written.at("eos_token_id"), 7);
  EXPECT_TRUE(written.at("bos_token_id").is_null());
}

// A published config with one change, and the words its error must hold (besides the file's path).
struct BadConfig {
  const char* label;
  const char* model;
  std::function<void(json&)> patch;
  std::string expected;
};

std::ostream& operator<<(std::ostream& out, const BadConfig& bad) { return out << bad.label; }

class HfConfigRefusal : public ::testing::TestWithParam<BadConfig> {};

TEST_P(HfConfigRefusal, NamesTheFileAndTheKey) {
  TemporaryFolder folder;
  json root = json::parse(testing::read_file(fixture(GetParam().model)));
  GetParam().patch(root);
  const auto path = folder.path() / "config.json";
  testing::write_file(path, root.dump(2));
  EXPECT_THAT(error_of([&] { read_hf_config(path); }),
              HasSubstr("config '" + path.string() + "': " + GetParam().expected));
}

INSTANTIATE_TEST_SUITE_P(
    Checks, HfConfigRefusal,
    ::testing::Values(
        BadConfig{"unknown_model_type", "llama-3.1-8b", [](json& c) { c["model_type"] = "mistral"; },
                  "key 'model_type': \"mistral\" is not supported (expected \"llama\" or \"qwen2\")"},
        BadConfig{"missing_model_type", "llama-3.1-8b", [](json& c) { c.erase("model_type"); },
                  "key 'model_type': missing (required)"},
        BadConfig{"missing_vocab_size", "llama-2-7b", [](json& c) { c.erase("vocab_size"); },
                  "key 'vocab_size': missing (required)"},
        BadConfig{"size_as_string", "llama-3.1-8b", [](json& c) { c["hidden_size"] = "4096"; },
                  "key 'hidden_size': must be an integer, found \"4096\""},
        BadConfig{"size_as_float", "llama-3.1-8b", [](json& c) { c["num_hidden_layers"] = 32.5; },
                  "key 'num_hidden_layers': must be an integer, found 32.5"},
        BadConfig{"zero_size", "qwen2.5-0.5b", [](json& c) { c["intermediate_size"] = 0; },
                  "key 'intermediate_size': must be positive, found 0"},
        BadConfig{"heads_not_dividing_hidden", "llama-3.1-8b", [](json& c) { c["num_attention_heads"] = 30; },
                  "key 'num_attention_heads': 30 does not divide hidden_size (4096) and no head_dim is given"},
        BadConfig{"kv_heads_not_dividing_heads", "llama-3.1-8b", [](json& c) { c["num_key_value_heads"] = 5; },
                  "key 'num_key_value_heads': 5 does not divide num_attention_heads (32)"},
        BadConfig{"odd_head_dim", "llama-3.1-8b", [](json& c) { c["head_dim"] = 127; },
                  "key 'head_dim': must be even"},
        BadConfig{"non_positive_eps", "llama-2-7b", [](json& c) { c["rms_norm_eps"] = 0; },
                  "key 'rms_norm_eps': must be a positive number, found 0"},
        BadConfig{"theta_as_string", "llama-2-7b", [](json& c) { c["rope_theta"] = "1e4"; },
                  "key 'rope_theta': must be a number, found \"1e4\""},
        BadConfig{"unsupported_activation", "qwen2.5-0.5b", [](json& c) { c["hidden_act"] = "gelu"; },
                  "key 'hidden_act': \"gelu\" is not supported (expected \"silu\")"},
        BadConfig{"unsupported_rope_type", "llama-3.1-8b", [](json& c) { c["rope_scaling"]["rope_type"] = "yarn"; },
                  "key 'rope_scaling.rope_type': \"yarn\" is not supported (expected \"llama3\")"},
        BadConfig{"unsupported_old_rope_type_key", "llama-2-7b",
                  [](json& c) { c["rope_scaling"] = {{"type", "linear"}, {"factor", 2.0}}; },
                  "key 'rope_scaling.type': \"linear\" is not supported"},
        BadConfig{"rope_scaling_without_type", "llama-2-7b", [](json& c) { c["rope_scaling"] = {{"factor", 2.0}}; },
                  "key 'rope_scaling.rope_type': missing"},
        BadConfig{"rope_scaling_not_object", "llama-2-7b", [](json& c) { c["rope_scaling"] = 2; },
                  "key 'rope_scaling': must be an object or null, found 2"},
        BadConfig{"rope_factor_missing", "llama-3.1-8b", [](json& c) { c["rope_scaling"].erase("factor"); },
                  "key 'rope_scaling.factor': missing (required)"},
        BadConfig{"rope_factor_below_one", "llama-3.1-8b", [](json& c) { c["rope_scaling"]["factor"] = 0.5; },
                  "key 'rope_scaling.factor': must be at least 1, found 0.5"},
        BadConfig{"rope_freq_factors_reversed", "llama-3.1-8b", [](json& c) { c["rope_scaling"]["high_freq_factor"] = 1.0; },
                  "key 'rope_scaling.high_freq_factor': must exceed low_freq_factor (1), found 1"},
        BadConfig{"mlp_bias", "llama-3.1-8b", [](json& c) { c["mlp_bias"] = true; },
                  "key 'mlp_bias': MLP biases are not supported"},
        BadConfig{"llama_attention_bias", "llama-2-7b", [](json& c) { c["attention_bias"] = true; },
                  "key 'attention_bias': biases on q, k, v and o are not supported"},
        BadConfig{"bias_not_boolean", "llama-3.1-8b", [](json& c) { c["attention_bias"] = "no"; },
                  "key 'attention_bias': must be true or false, found \"no\""},
        BadConfig{"sliding_window", "qwen2.5-0.5b", [](json& c) { c["use_sliding_window"] = true; },
                  "key 'use_sliding_window': sliding-window attention is not supported"},
        BadConfig{"unsupported_dtype", "llama-3.1-8b", [](json& c) { c["torch_dtype"] = "float64"; },
                  "key 'torch_dtype': \"float64\" is not supported (expected bfloat16, float16 or float32)"},
        BadConfig{"dtype_not_string", "llama-3.1-8b", [](json& c) { c["torch_dtype"] = 16; },
                  "key 'torch_dtype': must be a string, found 16"},
        BadConfig{"eos_not_integer", "llama-3.1-8b", [](json& c) { c["eos_token_id"] = json::array({128001, "x"}); },
                  "key 'eos_token_id': must be an integer, found \"x\""},
        BadConfig{"eos_outside_vocabulary", "llama-3.1-8b", [](json& c) { c["eos_token_id"] = 200000; },
                  "key 'eos_token_id': token id 200000 is outside the vocabulary [0, 128256)"},
        BadConfig{"bos_negative", "qwen2.5-0.5b", [](json& c) { c["bos_token_id"] = -1; },
                  "key 'bos_token_id': token id -1 is outside the vocabulary [0, 151936)"}),
    [](const ::testing::TestParamInfo<BadConfig>& info) { return std::string(info.param.label); });

TEST(HfConfig, AcceptsNewerAndOlderKeySpellings) {
  TemporaryFolder folder;
  json root = json::parse(testing::read_file(fixture("llama-3.1-8b")));
  root.erase("torch_dtype");
  root["dtype"] = "float16";  // transformers >= 4.56
  root["rope_scaling"].erase("rope_type");
  root["rope_scaling"]["type"] = "llama3";  // before transformers 4.43
  root["num_key_value_heads"] = nullptr;    // null reads as absent
  const auto path = folder.path() / "config.json";
  testing::write_file(path, root.dump());
  const DecoderConfig config = read_hf_config(path);
  EXPECT_EQ(config.torch_dtype, "float16");
  ASSERT_TRUE(config.rope_scaling);
  EXPECT_EQ(config.rope_scaling->factor, 8.0);
  EXPECT_EQ(config.num_key_value_heads, 32);
}

TEST(HfConfig, DefaultRopeTypeMeansNoScalingAndMissingDTypeMeansFloat32) {
  TemporaryFolder folder;
  json root = json::parse(testing::read_file(fixture("qwen2.5-0.5b")));
  root["rope_scaling"] = {{"rope_type", "default"}};
  root.erase("torch_dtype");
  const auto path = folder.path() / "config.json";
  testing::write_file(path, root.dump());
  const DecoderConfig config = read_hf_config(path);
  EXPECT_FALSE(config.rope_scaling);
  EXPECT_EQ(config.torch_dtype, "float32");
}

TEST(HfConfig, UnreadableFilesAreNamed) {
  TemporaryFolder folder;
  const auto path = folder.path() / "config.json";
  EXPECT_THAT(error_of([&] { read_hf_config(path); }), HasSubstr("config '" + path.string() + "': No such file or directory"));
  // A pipe would block and a device never end: refused without reading a byte.
  ASSERT_EQ(mkfifo(path.c_str(), 0600), 0);
  EXPECT_THAT(error_of([&] { read_hf_config(path); }), HasSubstr("': not a regular file (a device, pipe or socket)"));
  std::filesystem::remove(path);
  testing::write_file(path, "{}");
  std::filesystem::resize_file(path, std::uintmax_t{65} << 20);  // sparse: nothing is written
  EXPECT_THAT(error_of([&] { read_hf_config(path); }),
              HasSubstr("config '" + path.string() + "': 68157440 bytes; such a file holds at most 64 MiB"));
  testing::write_file(path, "{\"model_type\": ");
  EXPECT_THAT(error_of([&] { read_hf_config(path); }), HasSubstr("config '" + path.string() + "': not valid JSON"));
  testing::write_file(path, "[]");
  EXPECT_THAT(error_of([&] { read_hf_config(path); }), HasSubstr("expected a JSON object, found array"));
}

TEST(HfConfigWrite, RefusesABiasLayoutTheModelTypeCannotHave) {
  TemporaryFolder folder;
  const auto path = folder.path() / "config.json";
  DecoderConfig qwen = read_hf_config(fixture("qwen2.5-0.5b"));
  qwen.attention_bias = false;
  EXPECT_THAT(error_of([&] { write_hf_config(path, qwen); }),
              HasSubstr("writing config '" + path.string() + "': key 'attention_bias': must be true for model_type "
                        "\"qwen2\" (its q, k, v projections always have biases), found false"));
  DecoderConfig llama = read_hf_config(fixture("llama-2-7b"));
  llama.attention_bias = true;
  EXPECT_THAT(error_of([&] { write_hf_config(path, llama); }),
              HasSubstr("key 'attention_bias': must be false for model_type \"llama\""));
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(HfConfigWrite, RefusesAConfigReadWouldRefuse) {
  TemporaryFolder folder;
  const auto path = folder.path() / "config.json";
  DecoderConfig config = read_hf_config(fixture("llama-2-7b"));
  config.torch_dtype = "int8";
  EXPECT_THAT(error_of([&] { write_hf_config(path, config); }), HasSubstr("key 'torch_dtype': \"int8\" is not supported"));
  config = DecoderConfig{};
  EXPECT_THAT(error_of([&] { write_hf_config(path, config); }), HasSubstr("key 'model_type': \"\" is not supported"));
}

}  // namespace
}  // namespace steper::checkpoint
