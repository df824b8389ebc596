#include "plugin_support/text.hpp"

#include <algorithm>
#include <cctype>

namespace steper::support {
namespace {

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool is_lower(char c) { return std::islower(static_cast<unsigned char>(c)) != 0; }
bool is_closing(char c) { return c == '"' || c == '\'' || c == ')' || c == ']'; }

// Words whose trailing '.' rarely ends a sentence (compared without the '.', case-sensitive).
constexpr std::string_view kAbbreviations[] = {
    "Mr",  "Mrs", "Ms",  "Dr",  "Prof", "St",  "Jr",  "Sr",   "Mt",  "Ft",  "vs",  "etc", "No",   "Inc",
    "Ltd", "Co",  "Corp", "Gen", "Col",  "Lt",  "Sgt", "Capt", "Rev", "Hon", "Gov", "Sen", "Rep", "ca",
    "approx", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"};

// Whether the '.' at `dot` closes an abbreviation or an initial rather than a sentence.
bool after_abbreviation(std::string_view text, std::size_t dot) {
  std::size_t start = dot;
  while (start > 0 && !is_space(text[start - 1]) && text[start - 1] != '(' && text[start - 1] != '"') --start;
  const std::string_view word = text.substr(start, dot - start);
  if (word.empty()) return false;
  if (word.size() == 1 && std::isupper(static_cast<unsigned char>(word[0]))) return true;  // "J."
  if (word.find('.') != std::string_view::npos) return true;                                // "U.S."
  return std::find(std::begin(kAbbreviations), std::end(kAbbreviations), word) != std::end(kAbbreviations);
}

// The end (one past) of the first sentence of text, starting at `from`.
std::size_t sentence_end(std::string_view text, std::size_t from) {
  for (std::size_t i = from; i < text.size(); ++i) {
    const char c = text[i];
    if (c != '.' && c != '!' && c != '?') continue;
    std::size_t end = i + 1;
    while (end < text.size() && is_closing(text[end])) ++end;
    if (end == text.size()) return end;
    if (!is_space(text[end])) continue;
    std::size_t next = end;
    while (next < text.size() && is_space(text[next])) ++next;
    if (next == text.size()) return end;
    if (is_lower(text[next])) continue;
    if (c == '.' && after_abbreviation(text, i)) continue;
    return end;
  }
  return text.size();
}

}  // namespace

std::string trim(std::string_view text) {
  std::size_t begin = 0, end = text.size();
  while (begin < end && is_space(text[begin])) ++begin;
  while (end > begin && is_space(text[end - 1])) --end;
  return std::string(text.substr(begin, end - begin));
}

int count_words(std::string_view text) {
  int words = 0;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (!is_space(text[i]) && (i == 0 || is_space(text[i - 1]))) ++words;
  return words;
}

std::vector<std::string> split_sentences(std::string_view text) {
  std::vector<std::string> sentences;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = sentence_end(text, at);
    std::string sentence = trim(text.substr(at, end - at));
    if (!sentence.empty()) sentences.push_back(std::move(sentence));
    at = end;
  }
  return sentences;
}

std::string first_sentence(std::string_view output) {
  const std::string text = trim(output);
  const std::string_view line = std::string_view(text).substr(0, text.find('\n'));
  return trim(line.substr(0, sentence_end(line, 0)));
}

std::string truncate_words(std::string_view text, int max_words) {
  if (max_words <= 0) return std::string(text);
  int words = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (is_space(text[i]) || (i > 0 && !is_space(text[i - 1]))) continue;
    if (words++ == max_words) {
      std::size_t end = i;
      while (end > 0 && is_space(text[end - 1])) --end;
      return std::string(text.substr(0, end));
    }
  }
  return std::string(text);
}

}  // namespace steper::support
