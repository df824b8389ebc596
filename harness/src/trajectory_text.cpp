#include "trajectory_text.hpp"

#include <fmt/format.h>

namespace steper {

void print_trajectory(const std::string& title, const Trajectory& trajectory, std::ostream& out) {
  const std::string reason = trajectory.end_reason.empty() ? "(no reason recorded)" : trajectory.end_reason;
  out << title << ": " << trajectory.steps.size() << " steps, ended by " << reason << ", answer \""
      << trajectory.answer << "\"" << (trajectory.answer_found ? "" : " (no answer pattern)") << "\n";
  for (std::size_t s = 0; s < trajectory.steps.size(); ++s) {
    const auto& step = trajectory.steps[s];
    out << "  step " << s + 1 << " query: " << step.query << "\n    retrieved:";
    for (std::size_t r = 0; r < step.paragraph_ids.size(); ++r)
      out << " " << step.paragraph_ids[r] << fmt::format(" ({:.2f})", r < step.scores.size() ? step.scores[r] : 0.0);
    out << "\n    prompt: " << step.prompt_tokens << " tokens\n    wrote: " << step.generated << "\n";
  }
}

}  // namespace steper
