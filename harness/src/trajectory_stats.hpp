// What a set of trajectories says beyond its final answers: why teacher trajectories were
// filtered out, retrieval recall of the supporting paragraphs per step, and the per-ability
// scores of method.md section 3 where gold decompositions exist (an exact, automatic stand-in
// for the paper's GPT-4 judgement).
#pragma once

#include <string>
#include <vector>

#include "steper/types.hpp"

namespace steper {

enum class FilterOutcome { kept, error, no_answer, wrong_answer, unsupported_bridge };
const char* to_string(FilterOutcome outcome);  // "kept", "error", "no_answer", ... as the enum

// `filter`: "acc", "em" or "none" on the final answer. With `bridge_check`, every sentence that
// states a hop's answer must find it in the passages retrieved up to that step, and the hops
// before the last must each be stated (a filter the paper does not have).
FilterOutcome filter_trajectory(const Trajectory& trajectory, const Question& question, const std::string& filter,
                                bool bridge_check, const Corpus& corpus);

// Mean over questions with supporting paragraphs of the share (percent) retrieved by step
// s = 1..max_steps, counting what earlier steps retrieved; a trajectory that stopped earlier
// keeps its last value. Empty when no question has supporting paragraphs.
std::vector<double> recall_per_step(const std::vector<Question>& questions, const std::vector<Trajectory>& trajectories);

// Percentages; NaN where no question qualifies.
struct AbilityScores {
  double initialization;  // step 1 states the first hop's answer
  double expansion;       // step s states hop s's answer, for middle hops whose earlier hops were right
  double aggregation;     // the final answer is right, for questions whose hops before the last were right
};
AbilityScores ability_scores(const std::vector<Question>& questions, const std::vector<Trajectory>& trajectories);

// The answer normalised as for EM occurs in the normalised text.
bool states_answer(const std::string& text, const std::string& answer);

}  // namespace steper
