// The retrieval query of a later step (method.md section 6): the last written sentence (IRCoT)
// or follow-up question (Self-Ask) without question words; the question itself when the
// sentence only concludes or nothing is left.
#pragma once

#include <string>
#include <string_view>

namespace steper::frameworks {

// Removes the words who, what, when, where, why, which, how, does and is (any case, with any
// punctuation attached) and collapses white space.
std::string remove_question_words(std::string_view sentence);

// Whether the sentence starts with "So", "Thus", "Therefore", "Hence" or "That is".
bool only_concludes(std::string_view sentence);

// The query for a step after the first.
std::string next_query(std::string_view written, std::string_view question);

}  // namespace steper::frameworks
