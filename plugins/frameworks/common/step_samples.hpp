// Cuts a trajectory into the step-wise samples of method.md section 3. A framework renders,
// for each step s, the prompt without any written text (`bases[s]`, its passages P_<=s) and the
// text the step adds after it (`pieces[s]`, the last one being the answer sentence), so that
// base + pieces is exactly the text the framework showed and the model wrote at inference.
//   cumulative: prompt = bases[s],                      target = pieces[0] + ... + pieces[s]
//   new:        prompt = bases[s] + pieces[0..s-1],     target = pieces[s]
// Kinds: first (s = 1 < S), mid (1 < s < S), final (s = S).
#pragma once

#include <string>
#include <vector>

#include "framework_settings.hpp"
#include "steper/types.hpp"

namespace steper::frameworks {

// bases.size() == pieces.size() == S; throws std::invalid_argument otherwise.
std::vector<StepSample> cut_step_samples(const std::string& question_id, TargetMode target,
                                         const std::vector<std::string>& bases, const std::vector<std::string>& pieces);

// Whether a trajectory can be cut: it has steps and did not end in an error.
bool has_samples(const Trajectory& trajectory);

// The answer the final sample states, as `final_answer` chooses.
std::string final_sample_answer(FinalAnswer final_answer, const Question& question, const Trajectory& trajectory);

}  // namespace steper::frameworks
