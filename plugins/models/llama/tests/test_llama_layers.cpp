// Rotary embedding and attention against their direct formulas on small tensors.
#include <cmath>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "batching.hpp"
#include "decoder.hpp"
#include "tiny_model.hpp"

namespace steper::llama {
namespace {

using testing::tiny_config;

TEST(Rotary, RotatesEachPairByPositionTimesFrequency) {
  const auto config = tiny_config();
  Rotary rotary(config);
  const auto positions = torch::tensor({{0, 3, 11}}, torch::kLong);  // (1,3)
  const auto [cos, sin] = rotary->tables(positions);
  torch::manual_seed(1);
  const auto x = torch::randn({1, 1, 3, config.head_dim});
  const auto rotated = apply_rotary(x, cos, sin);
  const auto half = config.head_dim / 2;
  for (std::int64_t t = 0; t < 3; ++t) {
    const double position = positions[0][t].item<double>();
    for (std::int64_t i = 0; i < half; ++i) {
      const double frequency = std::pow(config.rope_theta, -2.0 * static_cast<double>(i) / static_cast<double>(config.head_dim));
      const double angle = position * frequency;
      const double a = x[0][0][t][i].item<double>(), b = x[0][0][t][i + half].item<double>();
      EXPECT_NEAR(rotated[0][0][t][i].item<double>(), a * std::cos(angle) - b * std::sin(angle), 1e-5);
      EXPECT_NEAR(rotated[0][0][t][i + half].item<double>(), b * std::cos(angle) + a * std::sin(angle), 1e-5);
    }
  }
}

TEST(Rotary, Llama3ScalingKeepsHighFrequenciesAndDividesLowOnes) {
  auto config = tiny_config();
  config.head_dim = 64;
  config.rope_theta = 500000.0;
  config.rope_scaling = checkpoint::RopeScaling{"llama3", 8.0, 1.0, 4.0, 8192};
  Rotary scaled(config);
  config.rope_scaling.reset();
  Rotary plain(config);
  for (std::int64_t i = 0; i < 32; ++i) {
    const double f = plain->inv_freq[i].item<double>();
    const double wavelength = 2 * 3.14159265358979323846 / f;
    const double got = scaled->inv_freq[i].item<double>();
    if (wavelength < 8192.0 / 4.0) {
      EXPECT_NEAR(got, f, f * 1e-6) << i;
    } else if (wavelength > 8192.0) {
      EXPECT_NEAR(got, f / 8.0, f * 1e-6) << i;
    } else {
      const double smooth = (8192.0 / wavelength - 1.0) / (4.0 - 1.0);
      EXPECT_NEAR(got, (1 - smooth) * f / 8.0 + smooth * f, f * 1e-6) << i;
    }
  }
}

// Hugging Face keeps inv_freq in float32 in bf16 / fp16 models: cast with the model, it would be
// rounded to 8 significant bits and the angles at long positions would drift.
TEST(Rotary, InverseFrequenciesStayFloat32WhenTheModelIsCast) {
  const auto fp32 = testing::tiny_model(tiny_config())->model->rotary->inv_freq.clone();
  for (const auto dtype : {torch::kBFloat16, torch::kHalf}) {
    auto lm = testing::tiny_model(tiny_config());
    lm->to(torch::kCPU, dtype);  // as the plugin's build_model() does
    EXPECT_EQ(lm->model->embed_tokens->weight.scalar_type(), dtype);
    EXPECT_EQ(lm->model->rotary->inv_freq.scalar_type(), torch::kFloat);
    EXPECT_TRUE(torch::equal(lm->model->rotary->inv_freq, fp32));
    lm->to(dtype);
    EXPECT_EQ(lm->named_buffers()["model.rotary_emb.inv_freq"].scalar_type(), torch::kFloat);
    EXPECT_TRUE(torch::equal(lm->model->rotary->inv_freq, fp32));
  }
}

// As Hugging Face: float32 positions x float32 inv_freq, then cos / sin cast to the activations'.
TEST(Rotary, Bf16TablesComeFromFloat32Angles) {
  auto lm = testing::tiny_model(tiny_config());
  const auto fp32 = lm->model->rotary->inv_freq.clone();
  lm->to(torch::kBFloat16);
  const auto positions = torch::tensor({{0, 7, 2000, 4000}}, torch::kLong);
  const auto [cos, sin] = lm->model->rotary->tables(positions, torch::kBFloat16);
  ASSERT_EQ(cos.scalar_type(), torch::kBFloat16);
  ASSERT_EQ(sin.scalar_type(), torch::kBFloat16);
  const auto angles = positions.to(torch::kFloat).unsqueeze(-1) * fp32;  // (1,4,D/2)
  const auto both = torch::cat({angles, angles}, -1).unsqueeze(1);       // (1,1,4,D)
  EXPECT_TRUE(torch::equal(cos, both.cos().to(torch::kBFloat16)));
  EXPECT_TRUE(torch::equal(sin, both.sin().to(torch::kBFloat16)));
  // What a bf16 inv_freq would have given: far off at position 2000.
  const auto rounded = positions.to(torch::kFloat).unsqueeze(-1) * fp32.to(torch::kBFloat16).to(torch::kFloat);
  EXPECT_GT((rounded.cos() - angles.cos()).abs().max().item<double>(), 0.05);

  torch::NoGradGuard no_grad;
  GenerationMask mask({{5, 9, 13}}, torch::kCPU);
  const auto hidden = lm->hidden_states(mask.prompt_ids(), mask.prompt_input(), nullptr);
  EXPECT_EQ(hidden.scalar_type(), torch::kBFloat16);
  EXPECT_FALSE(hidden.isnan().any().item<bool>());
}

// softmax(q k^T / sqrt(D) + mask) v per head, with query head h reading key/value head h / group.
torch::Tensor direct_attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                               const torch::Tensor& mask) {
  const auto heads = q.size(1), group = heads / k.size(1);
  std::vector<torch::Tensor> outputs;
  for (std::int64_t h = 0; h < heads; ++h) {
    const auto kh = k.select(1, h / group), vh = v.select(1, h / group);  // (B,S,D)
    const auto scores = torch::bmm(q.select(1, h), kh.transpose(1, 2)) / std::sqrt(static_cast<double>(q.size(-1)));
    outputs.push_back(torch::bmm(torch::softmax(scores + mask.select(1, 0), -1), vh));  // (B,T,D)
  }
  return torch::stack(outputs, 1);  // (B,H,T,D)
}

TEST(Attention, MatchesTheDirectFormulaWithGroupedHeadsAndPadding) {
  const auto config = tiny_config(true, "qwen2");
  torch::manual_seed(3);
  Attention attention(config);
  Rotary rotary(config);
  const std::vector<TokenIds> prompts = {{1, 2, 3, 4, 5}, {6, 7}};
  GenerationMask masks(prompts, torch::kCPU);
  const auto input = masks.prompt_input();
  const auto x = torch::randn({2, 5, config.hidden_size});
  const auto [cos, sin] = rotary->tables(input.positions);
  torch::NoGradGuard no_grad;
  const auto got = attention->forward(x, cos, sin, input.mask, nullptr, 0);

  const auto b = x.size(0), t = x.size(1);
  const auto q = apply_rotary(attention->q_proj(x).view({b, t, 4, 8}).transpose(1, 2), cos, sin);
  const auto k = apply_rotary(attention->k_proj(x).view({b, t, 2, 8}).transpose(1, 2), cos, sin);
  const auto v = attention->v_proj(x).view({b, t, 2, 8}).transpose(1, 2);
  const auto heads = direct_attention(q, k, v, input.mask);
  const auto expected = attention->o_proj(heads.transpose(1, 2).reshape({b, t, 32}));
  // Row 1 is left-padded by 3: only its real tokens (columns 3, 4) are compared.
  EXPECT_TRUE(torch::allclose(got[0], expected[0], 1e-5, 1e-5));
  EXPECT_TRUE(torch::allclose(got[1].slice(0, 3), expected[1].slice(0, 3), 1e-5, 1e-5));
  // Positions restart at 0 after the padding.
  EXPECT_EQ(input.positions[1][3].item<std::int64_t>(), 0);
  EXPECT_EQ(input.positions[1][4].item<std::int64_t>(), 1);
}

TEST(Attention, LeftPaddingDoesNotChangeARowsOutput) {
  auto lm = testing::tiny_model(tiny_config());
  torch::NoGradGuard no_grad;
  const TokenIds prompt = {5, 9, 13, 2};
  GenerationMask alone({prompt}, torch::kCPU);
  GenerationMask padded({prompt, {1, 2, 3, 4, 5, 6, 7}}, torch::kCPU);
  const auto single = lm->hidden_states(alone.prompt_ids(), alone.prompt_input(), nullptr);   // (1,4,C)
  const auto batch = lm->hidden_states(padded.prompt_ids(), padded.prompt_input(), nullptr);  // (2,7,C)
  EXPECT_TRUE(torch::allclose(single[0], batch[0].slice(0, 3), 1e-5, 1e-5));
  EXPECT_FALSE(batch.isnan().any().item<bool>());
}

TEST(Decoder, NamesParametersAsHuggingFaceDoes) {
  const auto untied = testing::tiny_model(tiny_config(false, "qwen2"));
  std::vector<std::string> names;
  for (const auto& item : untied->named_parameters()) names.push_back(item.key());
  for (const char* expected :
       {"model.embed_tokens.weight", "model.layers.0.self_attn.q_proj.weight", "model.layers.0.self_attn.q_proj.bias",
        "model.layers.1.self_attn.k_proj.bias", "model.layers.1.self_attn.o_proj.weight",
        "model.layers.1.mlp.gate_proj.weight", "model.layers.1.mlp.up_proj.weight", "model.layers.1.mlp.down_proj.weight",
        "model.layers.0.input_layernorm.weight", "model.layers.0.post_attention_layernorm.weight", "model.norm.weight",
        "lm_head.weight"})
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  std::int64_t count = 0;
  for (const auto& p : untied->parameters()) count += p.numel();
  EXPECT_EQ(count, parameter_count(untied->config()));

  const auto tied = testing::tiny_model(tiny_config(true));
  count = 0;
  for (auto& item : tied->named_parameters()) {
    const std::string& name = item.key();
    auto& p = item.value();
    EXPECT_NE(name, "lm_head.weight");
    count += p.numel();
  }
  EXPECT_EQ(count, parameter_count(tied->config()));
  EXPECT_TRUE(tied->lm_head.is_empty());
}

}  // namespace
}  // namespace steper::llama
