// Answer sentences and the answer patterns, checked against std::regex for the IRCoT one.
#include <gtest/gtest.h>

#include <regex>

#include "answer_format.hpp"

namespace steper::frameworks {
namespace {

const AnswerFormat& ircot() { return *answer_format("ircot"); }
const AnswerFormat& selfask() { return *answer_format("selfask"); }

TEST(AnswerFormat, WritesEachFrameworksSentence) {
  EXPECT_EQ(answer_sentence(ircot(), "Paris"), "So the answer is: Paris.");
  EXPECT_EQ(answer_sentence(selfask(), "Paris"), "So the final answer is: Paris");
  EXPECT_EQ(answer_format("react"), nullptr);
  EXPECT_EQ(answer_format_names(), "ircot, selfask");
}

TEST(AnswerFormat, ExtractsLikeTheIrcotRegex) {
  const std::regex pattern(".* answer is:? (.*)\\.?");
  for (const std::string sentence :
       {"So the answer is: Paris.", "So the answer is Paris", "The answer is: New York City.", "the answer is:  x.",
        "So the answer is:Paris.", "My answer is: a. And the answer is: b.", "answer is: Paris.", " answer is: Paris",
        "No answer here.", "So the answer is: .", "So the answer is: U.S.."}) {
    std::smatch match;
    const bool matched = std::regex_match(sentence, match, pattern);
    const auto extracted = extract_answer(ircot(), sentence);
    ASSERT_EQ(extracted.has_value(), matched) << sentence;
    if (!matched) continue;
    std::string expected = match[1].str();
    while (!expected.empty() && expected.front() == ' ') expected.erase(expected.begin());
    if (!expected.empty() && expected.back() == '.') expected.pop_back();
    EXPECT_EQ(*extracted, expected) << sentence;
  }
  EXPECT_EQ(*extract_answer(ircot(), "So the answer is: Paris."), "Paris");
  EXPECT_EQ(*extract_answer(ircot(), "My answer is: a. And the answer is: b."), "b");
}

TEST(AnswerFormat, SelfAskNeedsTheFinalAnswer) {
  EXPECT_EQ(*extract_answer(selfask(), "So the final answer is: Paris"), "Paris");
  EXPECT_EQ(*extract_answer(selfask(), "So the final answer is Paris."), "Paris");
  EXPECT_FALSE(extract_answer(selfask(), "So the answer is: Paris.").has_value());
  EXPECT_FALSE(extract_answer(selfask(), "Intermediate answer: Paris").has_value());
}

}  // namespace
}  // namespace steper::frameworks
