// The training path: target masks of a batch, packed batches scoring every sample as it scores
// alone, gradients against finite differences, and gradient checkpointing giving the same
// gradients as the plain backward pass.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "batching.hpp"
#include "decoder.hpp"
#include "tiny_model.hpp"

namespace steper::llama {
namespace {

using testing::tiny_config;

TEST(TrainingBatch, ScoresOnlyTargetTokensAndCutsLongPromptsFromTheLeft) {
  const std::vector<PromptTarget> samples = {{{1, 2, 3}, {4, 5}}, {{6, 7, 8, 9, 10, 11}, {12}}};
  const auto batch = make_training_batch(samples, /*max_tokens=*/5, torch::kCPU);
  // Row 0: 1 2 3 4 5 (targets 4, 5 predicted from columns 2, 3); row 1: 8 9 10 11 12 (target 12 from column 3).
  EXPECT_TRUE(torch::equal(batch.ids, torch::tensor({{1, 2, 3, 4, 5}, {8, 9, 10, 11, 12}}, torch::kLong)));
  EXPECT_TRUE(torch::equal(batch.predict_from, torch::tensor({2, 3, 5 + 3}, torch::kLong)));
  EXPECT_TRUE(torch::equal(batch.labels, torch::tensor({4, 5, 12}, torch::kLong)));
  EXPECT_TRUE(torch::equal(batch.sample_of, torch::tensor({0, 0, 1}, torch::kLong)));
  EXPECT_EQ(batch.total_tokens, 10);
}

TEST(TrainingBatch, PackedSamplesShareRowsButNeitherAttentionNorPositions) {
  // 5, 2 and 3 tokens in rows of 5: the longest fills row 0, the other two share row 1.
  const std::vector<PromptTarget> samples = {{{1, 2, 3}, {4, 5}}, {{6}, {7}}, {{8, 9}, {10}}};
  const auto batch = make_packed_training_batch(samples, /*max_tokens=*/64, /*row_tokens=*/5, torch::kCPU);
  EXPECT_TRUE(torch::equal(batch.ids, torch::tensor({{1, 2, 3, 4, 5}, {8, 9, 10, 6, 7}}, torch::kLong)));
  EXPECT_TRUE(torch::equal(batch.attention.positions, torch::tensor({{0, 1, 2, 3, 4}, {0, 1, 2, 0, 1}}, torch::kLong)));
  EXPECT_TRUE(torch::equal(batch.predict_from, torch::tensor({2, 3, 5 + 1, 5 + 3}, torch::kLong)));
  EXPECT_TRUE(torch::equal(batch.labels, torch::tensor({4, 5, 10, 7}, torch::kLong)));
  EXPECT_TRUE(torch::equal(batch.sample_of, torch::tensor({0, 0, 2, 1}, torch::kLong)));
  EXPECT_EQ(batch.total_tokens, 10);
  const auto visible = (batch.attention.mask == 0).squeeze(1);  // (B,T,T): query, key
  EXPECT_TRUE(torch::equal(visible[0], torch::ones({5, 5}, torch::kBool).tril()));
  EXPECT_TRUE(torch::equal(visible[1], torch::tensor({{1, 0, 0, 0, 0},
                                                      {1, 1, 0, 0, 0},
                                                      {1, 1, 1, 0, 0},
                                                      {0, 0, 0, 1, 0},
                                                      {0, 0, 0, 1, 1}}).to(torch::kBool)));
}

TEST(TrainingBatch, RowsGrowToTheLongestSampleAndPadWhatTheyCannotFill) {
  const std::vector<PromptTarget> samples = {{{1, 2}, {3}}, {{4, 5, 6, 7}, {8, 9}}, {{10}, {11}}};
  const auto batch = make_packed_training_batch(samples, /*max_tokens=*/64, /*row_tokens=*/4, torch::kCPU);
  // Rows of 6 (the longest sample): [6 tokens], [3 + 2 tokens, 1 padding].
  EXPECT_TRUE(torch::equal(batch.ids, torch::tensor({{4, 5, 6, 7, 8, 9}, {1, 2, 3, 10, 11, 0}}, torch::kLong)));
  const auto padding_query = (batch.attention.mask[1][0][5] == 0);
  EXPECT_FALSE(padding_query.any().item<bool>());  // padding sees nothing, and nothing sees it
  EXPECT_FALSE((batch.attention.mask.select(3, 5)[1][0] == 0).any().item<bool>());
}

// Each sample's mean target NLL, as the plugin's training interface computes it.
torch::Tensor per_sample_loss(CausalLm& lm, const TrainingBatch& batch, std::int64_t samples) {
  const auto hidden = lm->hidden_states(batch.ids, batch.attention, nullptr);
  const auto rows = hidden.reshape({-1, hidden.size(-1)}).index_select(0, batch.predict_from);
  const auto nll = torch::nn::functional::cross_entropy(
      lm->logits(rows), batch.labels, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone));
  const auto sums = torch::zeros({samples}, nll.options()).index_add(0, batch.sample_of, nll);
  return sums / torch::zeros({samples}, nll.options()).index_add(0, batch.sample_of, torch::ones_like(nll));
}

TEST(TrainingBatch, PackingLeavesEveryLossAndGradientAsItIs) {
  std::vector<PromptTarget> samples;
  for (std::int32_t i = 0; i < 9; ++i) {  // 3 to 19 tokens
    PromptTarget sample;
    for (std::int32_t k = 0; k < 2 + 2 * i; ++k) sample.prompt.push_back((i * 7 + k * 3) % 64);
    sample.target = {(i * 5) % 64, (i + 11) % 64};
    samples.push_back(sample);
  }
  auto alone = testing::tiny_model(tiny_config(), 3);
  auto packed = testing::tiny_model(tiny_config(), 3);
  alone->to(torch::kDouble);  // the sums run in another order: compare in double, not float's rounding
  packed->to(torch::kDouble);
  const auto one_per_row = make_training_batch(samples, 64, torch::kCPU);
  const auto packed_rows = make_packed_training_batch(samples, 64, /*row_tokens=*/24, torch::kCPU);
  ASSERT_LT(packed_rows.ids.size(0), one_per_row.ids.size(0));
  const auto expected = per_sample_loss(alone, one_per_row, 9);
  const auto actual = per_sample_loss(packed, packed_rows, 9);
  EXPECT_TRUE(torch::allclose(actual, expected, 1e-12, 1e-12)) << actual << expected;
  expected.sum().backward();
  actual.sum().backward();
  auto reference = alone->named_parameters();
  for (auto& item : packed->named_parameters())
    EXPECT_TRUE(torch::allclose(item.value().grad(), reference[item.key()].grad(), 1e-10, 1e-12)) << item.key();
}

// Mean target NLL of the batch: the quantity the model's training interface returns per sample.
torch::Tensor batch_loss(CausalLm& lm, const TrainingBatch& batch) {
  const auto hidden = lm->hidden_states(batch.ids, batch.attention, nullptr);
  const auto rows = hidden.reshape({-1, hidden.size(-1)}).index_select(0, batch.predict_from);
  return torch::nn::functional::cross_entropy(lm->logits(rows), batch.labels);
}

TEST(Gradients, MatchCentralFiniteDifferences) {
  auto lm = testing::tiny_model(tiny_config(false, "qwen2"), 11, 0.3);
  lm->to(torch::kDouble);
  const auto batch = make_training_batch({{{3, 8, 1}, {9, 4}}, {{7}, {2, 2, 5}}}, 64, torch::kCPU);
  lm->zero_grad();
  batch_loss(lm, batch).backward();
  const double eps = 1e-6;
  for (const char* name : {"model.layers.0.self_attn.q_proj.weight", "model.layers.1.self_attn.v_proj.bias",
                           "model.layers.1.mlp.gate_proj.weight", "model.norm.weight", "model.embed_tokens.weight",
                           "lm_head.weight", "model.layers.0.input_layernorm.weight"}) {
    auto parameter = lm->named_parameters()[name];
    const auto grad = parameter.grad().clone();
    for (std::int64_t i : {0L, 5L, parameter.numel() - 1}) {
      torch::NoGradGuard no_grad;
      auto flat = parameter.view(-1);
      const double saved = flat[i].item<double>();
      flat[i] = saved + eps;
      const double plus = batch_loss(lm, batch).item<double>();
      flat[i] = saved - eps;
      const double minus = batch_loss(lm, batch).item<double>();
      flat[i] = saved;
      EXPECT_NEAR(grad.view(-1)[i].item<double>(), (plus - minus) / (2 * eps), 1e-6) << name << "[" << i << "]";
    }
  }
}

TEST(Gradients, CheckpointingGivesTheSameGradients) {
  const auto batch = make_training_batch({{{3, 8, 1}, {9, 4}}, {{7}, {2, 2, 5}}}, 64, torch::kCPU);
  auto plain = testing::tiny_model(tiny_config(), 5);
  auto checkpointed = testing::tiny_model(tiny_config(), 5);
  plain->train();
  checkpointed->train();
  checkpointed->set_gradient_checkpointing(true);
  batch_loss(plain, batch).backward();
  batch_loss(checkpointed, batch).backward();
  auto expected = plain->named_parameters();
  for (auto& item : checkpointed->named_parameters()) {
    const std::string& name = item.key();
    auto& parameter = item.value();
    ASSERT_TRUE(parameter.grad().defined()) << name;
    EXPECT_TRUE(torch::allclose(parameter.grad(), expected[name].grad(), 1e-5, 1e-6)) << name;
  }
}

}  // namespace
}  // namespace steper::llama
