// How the oracle reads passages: which sentence states a fact, how well a sentence fits a
// sub-question, and which answer a sentence implies.
#pragma once

#include <string>
#include <string_view>

namespace steper::oracle {

// Whether the normalised text contains the normalised answer as whole words.
bool mentions(std::string_view text, std::string_view answer);

// Content words (lower-cased, stop words dropped) the two texts share.
int overlap(std::string_view a, std::string_view b);

// "It/Its/They ..." with the passage's title in place of the pronoun, so a sentence reads on its own.
std::string resolve_pronoun(const std::string& sentence, const std::string& title);

bool is_number(std::string_view text);

// The answer a sentence gives to a sub-question whose gold answer is `gold`, judged by form:
// for a number, the first number not in the sub-question; otherwise the last run of capitalised
// words (joined by "of", "the", ...) not all in the sub-question. Empty when there is none.
std::string implied_answer(std::string_view sentence, std::string_view sub_question, std::string_view gold);

}  // namespace steper::oracle
