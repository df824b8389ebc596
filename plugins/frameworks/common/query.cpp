#include "query.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace steper::frameworks {
namespace {

constexpr std::string_view kQuestionWords[] = {"who", "what", "when", "where", "why", "which", "how", "does", "is"};
constexpr std::string_view kConclusionWords[] = {"so", "thus", "therefore", "hence"};

// The word lower-cased, without the punctuation around it.
std::string bare_lower(std::string_view word) {
  std::string bare;
  for (const char c : word)
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '\'') bare += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!bare.empty() && bare.back() == '\'') bare.pop_back();
  while (!bare.empty() && bare.front() == '\'') bare.erase(bare.begin());
  return bare;
}

bool listed(std::string_view word, const std::string_view* begin, const std::string_view* end) {
  return std::find(begin, end, word) != end;
}

}  // namespace

std::string remove_question_words(std::string_view sentence) {
  std::istringstream words{std::string(sentence)};
  std::string word, kept;
  while (words >> word) {
    if (listed(bare_lower(word), std::begin(kQuestionWords), std::end(kQuestionWords))) continue;
    kept += (kept.empty() ? "" : " ") + word;
  }
  return kept;
}

bool only_concludes(std::string_view sentence) {
  std::istringstream words{std::string(sentence)};
  std::string first, second;
  words >> first >> second;
  const std::string head = bare_lower(first);
  if (listed(head, std::begin(kConclusionWords), std::end(kConclusionWords))) return true;
  return head == "that" && bare_lower(second) == "is";
}

std::string next_query(std::string_view written, std::string_view question) {
  if (only_concludes(written)) return std::string(question);
  std::string query = remove_question_words(written);
  return query.empty() ? std::string(question) : query;
}

}  // namespace steper::frameworks
