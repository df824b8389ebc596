#include "evidence.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>
#include <vector>

#include "steper/metrics.hpp"

namespace steper::oracle {
namespace {

constexpr std::string_view kStopWords[] = {"the", "a", "an", "of", "in", "on", "at", "to", "by", "for", "with",
                                           "from", "as", "and", "or", "is", "was", "were", "are", "be", "been",
                                           "who", "whom", "whose", "what", "when", "where", "which", "why", "how",
                                           "did", "does", "do", "it", "its", "that", "this"};
// Lower-case words that may join the capitalised words of a name ("University of Varen").
constexpr std::string_view kNameJoiners[] = {"of", "the", "de", "von", "van", "and", "la", "le", "du", "del"};
// Capitalised words that start sentences without naming anything.
constexpr std::string_view kSentenceStarters[] = {"It", "Its", "They", "Their", "The", "A", "An", "He", "She",
                                                  "His", "Her", "This", "In", "On", "At", "After", "Before",
                                                  "Born", "Founded", "Established", "Released", "Formed",
                                                  "First", "About"};

template <std::size_t N>
bool listed(std::string_view word, const std::string_view (&list)[N]) {
  return std::find(std::begin(list), std::end(list), word) != std::end(list);
}

bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

std::set<std::string> content_words(std::string_view text) {
  std::set<std::string> words;
  std::string word;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && is_alnum(text[i])) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
    } else if (!word.empty()) {
      if (!listed(word, kStopWords)) words.insert(word);
      word.clear();
    }
  }
  return words;
}

std::vector<std::string> tokens(std::string_view text) {
  std::istringstream in{std::string(text)};
  std::vector<std::string> out;
  for (std::string token; in >> token;) out.push_back(token);
  return out;
}

// The token without the punctuation around it (and without a possessive "'s").
std::string bare(const std::string& token) {
  std::size_t begin = 0, end = token.size();
  while (begin < end && !is_alnum(token[begin])) ++begin;
  while (end > begin && !is_alnum(token[end - 1])) --end;
  std::string word = token.substr(begin, end - begin);
  if (word.size() > 2 && word.compare(word.size() - 2, 2, "'s") == 0) word.resize(word.size() - 2);
  return word;
}

bool ends_phrase(const std::string& token) {
  const char last = token.empty() ? ' ' : token.back();
  return last == ',' || last == '.' || last == ';' || last == ':' || last == ')' || last == '?' || last == '!';
}

bool capitalised(const std::string& word) { return !word.empty() && std::isupper(static_cast<unsigned char>(word[0])); }

// Runs of capitalised words, e.g. "University of Varen", in order.
std::vector<std::vector<std::string>> name_spans(const std::vector<std::string>& words) {
  std::vector<std::vector<std::string>> spans;
  std::vector<std::string> span;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string word = bare(words[i]);
    const bool joins = !span.empty() && listed(word, kNameJoiners) && !ends_phrase(words[i]) &&
                       i + 1 < words.size() && capitalised(bare(words[i + 1]));
    if (capitalised(word) || joins) {
      span.push_back(word);
      if (!ends_phrase(words[i])) continue;
    }
    if (!span.empty()) spans.push_back(std::move(span));
    span.clear();
  }
  if (!span.empty()) spans.push_back(std::move(span));
  return spans;
}

}  // namespace

bool mentions(std::string_view text, std::string_view answer) {
  const std::string needle = normalize_answer(answer);
  if (needle.empty()) return false;
  return (" " + normalize_answer(text) + " ").find(" " + needle + " ") != std::string::npos;
}

int overlap(std::string_view a, std::string_view b) {
  const std::set<std::string> left = content_words(a), right = content_words(b);
  return static_cast<int>(std::count_if(left.begin(), left.end(), [&](const std::string& w) { return right.count(w) != 0; }));
}

std::string resolve_pronoun(const std::string& sentence, const std::string& title) {
  if (sentence.rfind("It ", 0) == 0) return title + sentence.substr(2);
  if (sentence.rfind("Its ", 0) == 0) return title + "'s" + sentence.substr(3);
  if (sentence.rfind("They ", 0) == 0) return title + sentence.substr(4);
  return sentence;
}

bool is_number(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

std::string implied_answer(std::string_view sentence, std::string_view sub_question, std::string_view gold) {
  const std::vector<std::string> words = tokens(sentence);
  std::set<std::string> asked;
  for (const std::string& token : tokens(sub_question)) asked.insert(bare(token));
  if (is_number(gold)) {
    for (const std::string& token : words)
      if (const std::string word = bare(token); is_number(word) && !asked.count(word)) return word;
    return {};
  }
  std::string implied;
  for (const auto& span : name_spans(words)) {
    if (span.size() == 1 && listed(span[0], kSentenceStarters)) continue;
    if (std::all_of(span.begin(), span.end(), [&](const std::string& w) { return asked.count(w) != 0; })) continue;
    implied.clear();
    for (const std::string& word : span) implied += (implied.empty() ? "" : " ") + word;
  }
  return implied;
}

}  // namespace steper::oracle
