// Comparison questions ("Who was born first, A or B?") whose two hops ask for a number each
// (a year): the answer follows from which written number is smaller, in the direction the gold
// answer shows.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "steper/types.hpp"

namespace steper::oracle {

// The answer implied by the numbers written for the two hops (`implied`, one per hop);
// "unknown" when one is not a number; nullopt when the question is not such a comparison.
std::optional<std::string> comparison_answer(const Question& question, const std::vector<std::string>& implied);

}  // namespace steper::oracle
