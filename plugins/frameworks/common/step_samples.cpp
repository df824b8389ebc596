#include "step_samples.hpp"

#include <stdexcept>

namespace steper::frameworks {

std::vector<StepSample> cut_step_samples(const std::string& question_id, TargetMode target,
                                         const std::vector<std::string>& bases, const std::vector<std::string>& pieces) {
  if (bases.size() != pieces.size())
    throw std::invalid_argument("cut_step_samples: " + std::to_string(bases.size()) + " prompts for " +
                                std::to_string(pieces.size()) + " steps");
  const std::size_t step_count = pieces.size();
  std::vector<StepSample> samples;
  std::string earlier;  // pieces[0..s-1]
  for (std::size_t s = 0; s < step_count; ++s) {
    StepSample sample;
    sample.question_id = question_id;
    sample.step = static_cast<int>(s + 1);
    sample.kind = s + 1 == step_count ? StepKind::final : s == 0 ? StepKind::first : StepKind::mid;
    if (target == TargetMode::cumulative) {
      sample.prompt = bases[s];
      sample.target = earlier + pieces[s];
    } else {
      sample.prompt = bases[s] + earlier;
      sample.target = pieces[s];
    }
    earlier += pieces[s];
    samples.push_back(std::move(sample));
  }
  return samples;
}

bool has_samples(const Trajectory& trajectory) {
  return !trajectory.steps.empty() && trajectory.end_reason.rfind("error", 0) != 0;
}

std::string final_sample_answer(FinalAnswer final_answer, const Question& question, const Trajectory& trajectory) {
  if (final_answer == FinalAnswer::gold && !question.answers.empty()) return question.answers.front();
  return trajectory.answer;
}

}  // namespace steper::frameworks
