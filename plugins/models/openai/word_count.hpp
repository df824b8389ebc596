// The token count when the server gives none: words (maximal runs of non-whitespace).
#pragma once

#include <cctype>
#include <string_view>

namespace steper::openai {

inline int count_words(std::string_view text) {
  int words = 0;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (!std::isspace(static_cast<unsigned char>(text[i])) &&
        (i == 0 || std::isspace(static_cast<unsigned char>(text[i - 1]))))
      ++words;
  return words;
}

}  // namespace steper::openai
