// EM, F1 and Acc exactly as method.md section 8 defines them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace steper {

// Lower-case, drop punctuation, drop the articles a/an/the as words, collapse white space.
std::string normalize_answer(std::string_view text);

struct AnswerScores {
  double em = 0.0;   // 0 or 1
  double f1 = 0.0;   // in [0, 1]
  double acc = 0.0;  // 0 or 1
};

// The maximum of each score over all gold answers (answer plus aliases).
AnswerScores score_answer(std::string_view prediction, const std::vector<std::string>& golds);

}  // namespace steper
