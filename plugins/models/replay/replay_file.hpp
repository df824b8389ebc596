// A file of teacher trajectories recorded elsewhere (README.md describes the format): one
// JSONL line per question with the model's output at each step.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

namespace steper::replay {

struct RecordedTrajectory {
  std::string framework;              // the prompt format the outputs answer, e.g. "ircot"
  std::string question;               // the question's text; empty when the line has none
  std::vector<std::string> outputs;   // the model's output at steps 1, 2, ...
  std::size_t line = 0;               // 1-based line of the file
};

class ReplayFile {
 public:
  // Reads the whole file. Throws std::runtime_error naming "path:line", the field, what was
  // expected and what was found: for malformed JSON, a missing or mistyped field, an unknown
  // field, a duplicate question id, or a framework other than `expected_framework` (when set).
  static ReplayFile read(const std::string& path, const std::string& expected_framework);

  // nullptr when the file has no line for the id.
  const RecordedTrajectory* find(const std::string& question_id) const;
  // Question ids in the order of their lines.
  const std::vector<std::string>& question_ids() const { return ids_; }

 private:
  std::vector<std::string> ids_;
  std::unordered_map<std::string, RecordedTrajectory> by_id_;
};

}  // namespace steper::replay
