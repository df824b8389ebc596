// A trajectory as a person reads it, for `steper inspect`.
#pragma once

#include <ostream>
#include <string>

#include "steper/types.hpp"

namespace steper {

// "<title>: N steps, ended by R, answer "A"", then per step its query, the retrieved
// paragraph ids with scores, the prompt length and the sentence written.
void print_trajectory(const std::string& title, const Trajectory& trajectory, std::ostream& out);

}  // namespace steper
