// Few-shot demonstrations read from a JSONL file, one worked example per line:
//   {"question": "...", "passages": [{"title": "...", "text": "..."}],
//    "steps": [{"follow_up": "...", "sentence": "..."}], "answer": "..."}
// IRCoT shows each step's sentence; Self-Ask shows follow-up and sentence (its intermediate
// answer), so it needs `follow_up` in every step. Blank lines are skipped.
#pragma once

#include <string>
#include <vector>

namespace steper::frameworks {

struct DemonstrationPassage {
  std::string title;
  std::string text;
};

struct DemonstrationStep {
  std::string follow_up;  // empty when the line has none
  std::string sentence;
};

struct Demonstration {
  int line = 0;  // in the file, for messages
  std::string question;
  std::vector<DemonstrationPassage> passages;
  std::vector<DemonstrationStep> steps;
  std::string answer;
};

// Throws std::runtime_error naming the file, the line and the field, with what was expected
// and what was found.
std::vector<Demonstration> read_demonstrations(const std::string& path);

}  // namespace steper::frameworks
