// Plain-text helpers the frameworks and the teachers share: trimming, words, sentence
// boundaries, word limits.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace steper::support {

std::string trim(std::string_view text);
int count_words(std::string_view text);

// The sentences of a paragraph, trimmed, in order. A sentence ends at '.', '!' or '?'
// followed by white space and a character that is not lower-case, or at the end of the text;
// a '.' after an initial ("J. K.") or a common abbreviation ("St.", "U.S.") ends none.
std::vector<std::string> split_sentences(std::string_view text);

// What a framework keeps of a model's output: the first sentence of its first non-empty line.
std::string first_sentence(std::string_view output);

// The text cut after its first `max_words` white-space separated words; 0 keeps it all.
std::string truncate_words(std::string_view text, int max_words);

}  // namespace steper::support
