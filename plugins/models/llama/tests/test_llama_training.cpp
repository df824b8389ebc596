// The training path: target masks of a batch, gradients against finite differences, and
// gradient checkpointing giving the same gradients as the plain backward pass.
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
