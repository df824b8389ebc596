// The learning-rate schedule and the [train] table's checks.
#include <gtest/gtest.h>

#include "torch/trainer.hpp"

namespace steper {
namespace {

TEST(LearningRate, WarmsUpLinearlyThenDecays) {
  TrainSettings s;
  s.steps = 110;
  s.lr = 1.0;
  s.warmup_steps = 10;
  EXPECT_DOUBLE_EQ(learning_rate_at(s, 1, s.steps), 0.1);
  EXPECT_DOUBLE_EQ(learning_rate_at(s, 10, s.steps), 1.0);
  EXPECT_DOUBLE_EQ(learning_rate_at(s, 60, s.steps), 1.0);  // constant after warm-up
  s.schedule = "cosine";
  EXPECT_DOUBLE_EQ(learning_rate_at(s, 60, s.steps), 0.5);
  EXPECT_NEAR(learning_rate_at(s, 110, s.steps), 0.0, 1e-12);
  s.schedule = "linear";
  s.min_lr_ratio = 0.1;
  EXPECT_DOUBLE_EQ(learning_rate_at(s, 60, s.steps), 0.1 + 0.9 * 0.5);
  EXPECT_DOUBLE_EQ(learning_rate_at(s, 110, s.steps), 0.1);
  s.warmup_steps = 0;
  EXPECT_DOUBLE_EQ(learning_rate_at(s, 0, s.steps), 1.0);
}

}  // namespace
}  // namespace steper
