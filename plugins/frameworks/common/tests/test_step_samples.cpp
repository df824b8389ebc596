// Step-wise samples: kinds and cumulative / new targets for S = 1, 2 and 4.
#include <gtest/gtest.h>

#include "step_samples.hpp"

namespace steper::frameworks {
namespace {

using Strings = std::vector<std::string>;

std::vector<StepKind> kinds(const std::vector<StepSample>& samples) {
  std::vector<StepKind> out;
  for (const auto& sample : samples) out.push_back(sample.kind);
  return out;
}

TEST(StepSamples, KindsForOneTwoAndFourSteps) {
  EXPECT_EQ(kinds(cut_step_samples("q", TargetMode::cumulative, {"B1"}, {" A."})), (std::vector<StepKind>{StepKind::final}));
  EXPECT_EQ(kinds(cut_step_samples("q", TargetMode::cumulative, {"B1", "B2"}, {" r1", " A."})),
            (std::vector<StepKind>{StepKind::first, StepKind::final}));
  EXPECT_EQ(kinds(cut_step_samples("q", TargetMode::new_only, {"B1", "B2", "B3", "B4"}, {" r1", " r2", " r3", " A."})),
            (std::vector<StepKind>{StepKind::first, StepKind::mid, StepKind::mid, StepKind::final}));
}

TEST(StepSamples, CumulativeTargetsRepeatEarlierText) {
  const auto samples = cut_step_samples("q7", TargetMode::cumulative, {"B1", "B2", "B3", "B4"}, {" r1", " r2", " r3", " A."});
  ASSERT_EQ(samples.size(), 4u);
  const Strings prompts = {"B1", "B2", "B3", "B4"};
  const Strings targets = {" r1", " r1 r2", " r1 r2 r3", " r1 r2 r3 A."};
  for (std::size_t s = 0; s < 4; ++s) {
    EXPECT_EQ(samples[s].question_id, "q7");
    EXPECT_EQ(samples[s].step, static_cast<int>(s + 1));
    EXPECT_EQ(samples[s].prompt, prompts[s]);
    EXPECT_EQ(samples[s].target, targets[s]);
  }
}

TEST(StepSamples, NewTargetsMoveEarlierTextIntoThePrompt) {
  const auto samples = cut_step_samples("q", TargetMode::new_only, {"B1", "B2", "B3", "B4"}, {" r1", " r2", " r3", " A."});
  ASSERT_EQ(samples.size(), 4u);
  const Strings prompts = {"B1", "B2 r1", "B3 r1 r2", "B4 r1 r2 r3"};
  const Strings targets = {" r1", " r2", " r3", " A."};
  for (std::size_t s = 0; s < 4; ++s) {
    EXPECT_EQ(samples[s].prompt, prompts[s]);
    EXPECT_EQ(samples[s].target, targets[s]);
  }
  // Both modes cover the same text: prompt + target of the final sample.
  const auto cumulative = cut_step_samples("q", TargetMode::cumulative, {"B1", "B2"}, {" r1", " A."});
  const auto fresh = cut_step_samples("q", TargetMode::new_only, {"B1", "B2"}, {" r1", " A."});
  EXPECT_EQ(cumulative[1].prompt + cumulative[1].target, fresh[1].prompt + fresh[1].target);
  EXPECT_THROW(cut_step_samples("q", TargetMode::new_only, {"B1"}, {" r1", " A."}), std::invalid_argument);
}

TEST(StepSamples, WhichTrajectoriesAndAnswers) {
  Trajectory trajectory;
  EXPECT_FALSE(has_samples(trajectory));
  trajectory.steps.resize(1);
  trajectory.end_reason = "answer";
  EXPECT_TRUE(has_samples(trajectory));
  trajectory.end_reason = "error: model: out of memory";
  EXPECT_FALSE(has_samples(trajectory));
  Question question;
  question.answers = {"Paris", "City of Light"};
  trajectory.answer = "Paris, France";
  EXPECT_EQ(final_sample_answer(FinalAnswer::gold, question, trajectory), "Paris");
  EXPECT_EQ(final_sample_answer(FinalAnswer::teacher, question, trajectory), "Paris, France");
  question.answers.clear();
  EXPECT_EQ(final_sample_answer(FinalAnswer::gold, question, trajectory), "Paris, France");
}

}  // namespace
}  // namespace steper::frameworks
