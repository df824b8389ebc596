#include "replayed_text.hpp"

#include <algorithm>
#include <cctype>

#include "plugin_support/text.hpp"

namespace steper::replay {
namespace {

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// The end of the n-th word of text (n >= 0), or npos when text has fewer than n + 1 words.
std::size_t end_of_word(std::string_view text, int n) {
  int words = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) ++i;
    if (i == text.size()) break;
    while (i < text.size() && !is_space(text[i])) ++i;
    if (words++ == n) return i;
  }
  return std::string_view::npos;
}

}  // namespace

GenerationResult replayed_text(const std::string& output, const GenerationRequest& request) {
  GenerationResult result;
  result.finish_reason = "eos";
  std::size_t cut = output.size();
  for (const std::string& stop : request.stop) {
    if (stop.empty()) continue;
    const std::size_t at = output.find(stop);
    if (at < cut) {
      cut = at;
      result.finish_reason = "stop";
    }
  }
  std::string_view text(output.data(), cut);
  const int limit = std::max(0, request.max_new_tokens);
  if (support::count_words(text) > limit) {
    text = limit == 0 ? std::string_view() : text.substr(0, end_of_word(text, limit - 1));
    result.finish_reason = "length";
  }
  result.text = std::string(text);
  result.prompt_tokens = support::count_words(request.prompt);
  result.generated_tokens = support::count_words(result.text);
  return result;
}

}  // namespace steper::replay
