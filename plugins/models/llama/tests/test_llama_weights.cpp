// Weights in the Hugging Face layout: save -> load gives identical logits, shards and dtypes
// convert, and a checkpoint that does not fit the model is refused naming the tensor.
#include <cmath>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "batching.hpp"
#include "checkpoint.hpp"
#include "tiny_model.hpp"
#include "weights_io.hpp"

namespace steper::llama {
namespace {

namespace fs = std::filesystem;
using testing::tiny_config;

class WeightsDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("steper_llama_weights_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

torch::Tensor logits_of(CausalLm& lm) {
  torch::NoGradGuard no_grad;
  GenerationMask mask({{4, 8, 15, 16, 23, 42}}, torch::kCPU);
  return lm->logits(lm->hidden_states(mask.prompt_ids(), mask.prompt_input(), nullptr));
}

TEST_F(WeightsDir, SaveThenLoadGivesIdenticalLogits) {
  for (const bool tied : {true, false}) {
    auto saved = testing::tiny_model(tiny_config(tied, "qwen2"), 1);
    auto loaded = testing::tiny_model(tiny_config(tied, "qwen2"), 2);
    ASSERT_FALSE(torch::equal(logits_of(saved), logits_of(loaded)));
    save_weights(saved, dir_, torch::kFloat, std::size_t{1} << 30);
    EXPECT_TRUE(fs::exists(dir_ / "model.safetensors"));
    load_weights(loaded, dir_);
    EXPECT_TRUE(torch::equal(logits_of(saved), logits_of(loaded))) << "tied " << tied;
  }
}

TEST_F(WeightsDir, ShardedAndBf16CheckpointsLoad) {
  auto saved = testing::tiny_model(tiny_config(false), 1);
  save_weights(saved, dir_, torch::kBFloat16, /*max_shard_bytes=*/4096);
  EXPECT_TRUE(fs::exists(dir_ / "model.safetensors.index.json"));
  EXPECT_FALSE(fs::exists(dir_ / "model.safetensors"));
  auto loaded = testing::tiny_model(tiny_config(false), 2);
  load_weights(loaded, dir_);
  auto expected = saved->named_parameters();
  for (auto& item : loaded->named_parameters()) {
    const std::string& name = item.key();
    auto& parameter = item.value();
    EXPECT_TRUE(torch::equal(parameter, expected[name].to(torch::kBFloat16).to(torch::kFloat))) << name;
  }
}

TEST_F(WeightsDir, AbsurdConfigSizesAreRefusedBeforeTheModelIsBuilt) {
  auto tied = testing::tiny_model(tiny_config(true), 1);
  save_weights(tied, dir_, torch::kFloat, std::size_t{1} << 30);
  EXPECT_NO_THROW(check_weight_shapes(tiny_config(true), dir_));
  for (const auto& [key, change] : std::vector<std::pair<std::string, void (*)(checkpoint::DecoderConfig&)>>{
           {"model.embed_tokens.weight", [](checkpoint::DecoderConfig& c) { c.vocab_size = std::int64_t{1} << 40; }},
           {"model.embed_tokens.weight", [](checkpoint::DecoderConfig& c) { c.hidden_size = std::int64_t{1} << 40; }},
           {"q_proj.weight", [](checkpoint::DecoderConfig& c) { c.num_attention_heads = 1 << 20; }},
           {"model.layers.99999999.mlp.down_proj.weight", [](checkpoint::DecoderConfig& c) { c.num_hidden_layers = 100000000; }},
           {"mlp.down_proj.weight", [](checkpoint::DecoderConfig& c) { c.intermediate_size = std::int64_t{1} << 40; }}}) {
    auto absurd = tiny_config(true);
    change(absurd);
    try {
      check_weight_shapes(absurd, dir_);  // allocating this model would exhaust memory
      FAIL() << "accepted an absurd " << key;
    } catch (const std::exception& e) {
      EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
    }
  }
}

TEST_F(WeightsDir, RefusesNanWeightsNamingTheTensor) {
  auto poisoned = testing::tiny_model(tiny_config(true), 1);
  {
    torch::NoGradGuard no_grad;
    poisoned->named_parameters()["model.norm.weight"].fill_(std::nan(""));
  }
  save_weights(poisoned, dir_, torch::kFloat, std::size_t{1} << 30);
  auto loaded = testing::tiny_model(tiny_config(true), 2);
  try {
    load_weights(loaded, dir_);
    FAIL() << "loaded NaN weights";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("tensor 'model.norm.weight' holds NaN or infinite values"), std::string::npos)
        << e.what();
  }
}

TEST_F(WeightsDir, RefusesAMissingOrMisShapedTensorNamingIt) {
  auto untied = testing::tiny_model(tiny_config(false), 1);
  auto tied = testing::tiny_model(tiny_config(true), 1);
  save_weights(tied, dir_, torch::kFloat, std::size_t{1} << 30);
  try {
    load_weights(untied, dir_);  // a tied checkpoint has no lm_head.weight
    FAIL() << "loaded a checkpoint without lm_head.weight";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("lm_head.weight"), std::string::npos) << e.what();
  }
  auto wider = tiny_config(true);
  wider.intermediate_size = 64;
  auto other = testing::tiny_model(wider, 1);
  try {
    load_weights(other, dir_);
    FAIL() << "loaded mis-shaped MLP weights";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("mlp."), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("[64, 32]"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace steper::llama
