// The oracle's reading of passages: prompt blocks, mentions, overlap, implied answers,
// comparisons and the seeded error draw.
#include <gtest/gtest.h>

#include "comparison.hpp"
#include "evidence.hpp"
#include "prompt_passages.hpp"
#include "reasoning.hpp"

namespace steper::oracle {
namespace {

TEST(PromptPassages, TakesTheLastBlocksAfterDemonstrations) {
  const std::string prompt =
      "Wikipedia Title: Demo\nDemo text.\n\nQ: demo?\nA: So the answer is: x.\n\n\n"
      "Wikipedia Title: Heat\nHeat is a film.\nSecond line.\n\nWikipedia Title: Chicago\nA city.\n\nQ: Where?\nA:";
  const auto passages = prompt_passages(prompt, {"p0", "p2"});
  ASSERT_EQ(passages.size(), 2u);
  EXPECT_EQ(passages[0].id, "p0");
  EXPECT_EQ(passages[0].title, "Heat");
  EXPECT_EQ(passages[0].text, "Heat is a film.\nSecond line.");
  EXPECT_EQ(passages[1].title, "Chicago");
  EXPECT_EQ(passages[1].text, "A city.");
  EXPECT_TRUE(prompt_passages(prompt, {}).empty());
  try {
    prompt_passages("Q: Where?\nA:", {"p0"});
    FAIL() << "expected an error";
  } catch (const OracleError& e) {
    EXPECT_STREQ(e.what(),
                 "oracle: the prompt shows 0 'Wikipedia Title: ' blocks for the 1 passage ids of the request; the "
                 "oracle reads passages in that format only");
  }
}

TEST(Evidence, MentionsAndOverlap) {
  EXPECT_TRUE(mentions("It was directed by Michael Mann.", "michael mann"));
  EXPECT_TRUE(mentions("The Beatles formed in 1960.", "Beatles"));
  EXPECT_FALSE(mentions("Born 19501.", "1950"));
  EXPECT_FALSE(mentions("anything", ""));
  EXPECT_EQ(overlap("Who directed Heat?", "Heat was directed by Mann."), 2);
  EXPECT_EQ(overlap("Where was it?", "It is where it was."), 0);
}

TEST(Evidence, ResolvesPronounsWithTheTitle) {
  EXPECT_EQ(resolve_pronoun("It was directed by Mann.", "Heat"), "Heat was directed by Mann.");
  EXPECT_EQ(resolve_pronoun("Its capital is Varholm.", "Brimia"), "Brimia's capital is Varholm.");
  EXPECT_EQ(resolve_pronoun("They have made 4 albums.", "The Owls"), "The Owls have made 4 albums.");
  EXPECT_EQ(resolve_pronoun("Item one.", "X"), "Item one.");
}

TEST(Evidence, ImpliedAnswersByForm) {
  EXPECT_EQ(implied_answer("Heat (band) was formed in Berlin.", "Who directed Heat?", "Michael Mann"), "Berlin");
  EXPECT_EQ(implied_answer("It is based in University of Varen.", "Where is X?", "Y"), "University of Varen");
  EXPECT_EQ(implied_answer("Born in 1950, Ana Varen is a painter.", "Who is Bo?", "Tom Kell"), "Ana Varen");
  EXPECT_EQ(implied_answer("It was directed by Ana Varen.", "Who directed it?", "Tom Kell"), "Ana Varen");
  EXPECT_EQ(implied_answer("Heat is a band.", "Who directed Heat?", "Michael Mann"), "");
  EXPECT_EQ(implied_answer("Ana Varen stands 180 cm tall, born 1950.", "When was Ana Varen born?", "1950"), "180");
  EXPECT_EQ(implied_answer("In 1990 it had 12 staff.", "What happened in 1990?", "2000"), "12");
  EXPECT_EQ(implied_answer("Ana Varen is tall.", "When was Ana Varen born?", "1950"), "");
}

Question comparison_question() {
  Question question;
  question.id = "cmp";
  question.text = "Who was born first, Ana Varen or Bo Kell?";
  question.answers = {"Ana Varen"};
  question.decomposition = {{"When was Ana Varen born?", "1950", "pa"}, {"When was Bo Kell born?", "1960", "pb"}};
  question.type = "comparison";
  return question;
}

TEST(Comparison, FollowsTheWrittenNumbers) {
  const Question question = comparison_question();
  EXPECT_EQ(*comparison_answer(question, {"1950", "1960"}), "Ana Varen");
  EXPECT_EQ(*comparison_answer(question, {"1970", "1960"}), "Bo Kell");
  EXPECT_EQ(*comparison_answer(question, {"unknown", "1960"}), "unknown");
  Question later = question;  // "Who was born last?": the larger number wins
  later.text = "Who was born last, Ana Varen or Bo Kell?";
  later.answers = {"Bo Kell"};
  EXPECT_EQ(*comparison_answer(later, {"1950", "1960"}), "Bo Kell");
  EXPECT_EQ(*comparison_answer(later, {"1970", "1960"}), "Ana Varen");
  Question chain = question;
  chain.decomposition[1].answer = "Chicago";
  EXPECT_FALSE(comparison_answer(chain, {"1950", "Chicago"}).has_value());
  Question no_options = question;
  no_options.text = "Who was born first?";
  EXPECT_FALSE(comparison_answer(no_options, {"1950", "1960"}).has_value());
}

TEST(Reasoning, ErrorDrawsAreSeededPerQuestionAndHop) {
  const Question question = comparison_question();
  const auto pattern = [&](std::uint64_t seed, double rate) {
    OracleOptions options;
    options.seed = seed;
    options.error_rate = rate;
    Question numbered = question;
    std::string bits;
    for (int q = 0; q < 100; ++q) {
      numbered.id = "q" + std::to_string(q);
      const Reasoning reasoning(numbered, options);
      for (std::size_t hop = 0; hop < 3; ++hop) bits += reasoning.injected(hop) ? '1' : '0';
    }
    return bits;
  };
  EXPECT_EQ(pattern(1, 0.5), pattern(1, 0.5));
  EXPECT_NE(pattern(1, 0.5), pattern(2, 0.5));
  const std::string half = pattern(1, 0.5);
  const auto injected = std::count(half.begin(), half.end(), '1');
  EXPECT_GT(injected, 110);
  EXPECT_LT(injected, 190);
  EXPECT_EQ(pattern(1, 1.0), std::string(300, '1'));
  EXPECT_EQ(pattern(1, 0.0), std::string(300, '0'));
}

TEST(Reasoning, UnknownSentence) {
  EXPECT_EQ(unknown_sentence("Who directed Heat?"), "The passages do not say who directed Heat.");
}

}  // namespace
}  // namespace steper::oracle
