#include "comparison.hpp"

#include <string_view>

#include "evidence.hpp"
#include "steper/metrics.hpp"

namespace steper::oracle {
namespace {

// "..., A or B?" -> {A, B}
std::optional<std::pair<std::string, std::string>> options_of(std::string text) {
  while (!text.empty() && (text.back() == '?' || text.back() == ' ')) text.pop_back();
  const std::size_t or_at = text.rfind(" or ");
  if (or_at == std::string::npos) return std::nullopt;
  const std::size_t comma = text.rfind(", ", or_at);
  if (comma == std::string::npos) return std::nullopt;
  return std::make_pair(text.substr(comma + 2, or_at - comma - 2), text.substr(or_at + 4));
}

bool same(std::string_view a, std::string_view b) { return normalize_answer(a) == normalize_answer(b); }

// The value of a number of at most 18 digits (so that it fits).
std::optional<long long> number(const std::string& text) {
  if (!is_number(text) || text.size() > 18) return std::nullopt;
  return std::stoll(text);
}

}  // namespace

std::optional<std::string> comparison_answer(const Question& question, const std::vector<std::string>& implied) {
  const auto& hops = question.decomposition;
  if (hops.size() != 2 || implied.size() != 2 || question.answers.empty()) return std::nullopt;
  const auto gold_a = number(hops[0].answer), gold_b = number(hops[1].answer);
  if (!gold_a || !gold_b || *gold_a == *gold_b) return std::nullopt;
  const auto options = options_of(question.text);
  if (!options) return std::nullopt;
  // Which hop asks about which option.
  const bool first_is_first = hops[0].question.find(options->first) != std::string::npos &&
                              hops[1].question.find(options->second) != std::string::npos;
  const bool first_is_second = hops[0].question.find(options->second) != std::string::npos &&
                               hops[1].question.find(options->first) != std::string::npos;
  if (first_is_first == first_is_second) return std::nullopt;
  const std::string& gold = question.answers.front();
  const std::string& option_a = first_is_first ? options->first : options->second;  // asked by hop 0
  const std::string& option_b = first_is_first ? options->second : options->first;  // asked by hop 1
  if (!same(gold, option_a) && !same(gold, option_b)) return std::nullopt;
  // The gold answer is the option with the smaller number, or the larger: find which.
  const bool smaller_wins = same(gold, option_a) == (*gold_a < *gold_b);
  const auto a = number(implied[0]), b = number(implied[1]);
  if (!a || !b) return std::string("unknown");
  if (*a == *b) return option_a;
  return (*a < *b) == smaller_wins ? option_a : option_b;
}

}  // namespace steper::oracle
