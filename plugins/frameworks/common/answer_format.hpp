// How each framework writes and recognises its answer sentence, in one table.
//   ircot:   "So the answer is: X."        recognised by  .* answer is:? (.*)\.?
//   selfask: "So the final answer is: X"   recognised by  .*final answer is:? (.*)\.?
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace steper::frameworks {

struct AnswerFormat {
  const char* framework;  // the value of GoldContext::framework
  const char* marker;     // the pattern's fixed part: the answer follows it, after an optional ':' and a space
  const char* prefix;     // the answer sentence: prefix + answer + suffix
  const char* suffix;
};

inline constexpr AnswerFormat kAnswerFormats[] = {
    {"ircot", " answer is", "So the answer is: ", "."},
    {"selfask", "final answer is", "So the final answer is: ", ""},
};

// The format of a framework; nullptr for an unknown one.
const AnswerFormat* answer_format(std::string_view framework);
// "ircot, selfask": for messages.
std::string answer_format_names();

std::string answer_sentence(const AnswerFormat& format, std::string_view answer);

// The answer a sentence gives, as the pattern `.*<marker>:? (.*)\.?` extracts it (the last
// marker that fits wins, as a greedy `.*` makes it), trimmed and without its final '.';
// nullopt when the pattern does not match.
std::optional<std::string> extract_answer(const AnswerFormat& format, std::string_view sentence);

}  // namespace steper::frameworks
