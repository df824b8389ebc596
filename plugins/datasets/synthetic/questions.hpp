// Composes multi-hop questions over the world: chains of 2-4 relations ("Where was the
// director of X born?") and year comparisons ("Who was born first, A or B?"), each with
// its gold decomposition. Facts used by dev and test questions are never used by training
// questions, so held-out answers cannot be memorised from training data.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "steper/types.hpp"
#include "world.hpp"

namespace steper::synthetic {

struct QuestionMix {
  std::array<double, 3> hop_weights{0.4, 0.35, 0.25};  // of 2-, 3- and 4-hop chain questions
  double comparison_share = 0.15;                       // of all questions
};

// Questions per split, indexed by steper::Split. Throws std::runtime_error when the world is
// too small to compose that many distinct questions with disjoint facts.
std::array<std::vector<Question>, 3> compose_questions(const World& world, const std::array<int, 3>& counts,
                                                       const QuestionMix& mix, std::uint64_t seed);

}  // namespace steper::synthetic
