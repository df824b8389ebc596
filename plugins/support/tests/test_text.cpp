// Sentence boundaries, first-sentence extraction and word limits.
#include <gtest/gtest.h>

#include "plugin_support/text.hpp"

namespace steper::support {
namespace {

TEST(FirstSentence, KeepsTheFirstSentenceOfTheFirstLine) {
  EXPECT_EQ(first_sentence("  Paris is in France. It is large."), "Paris is in France.");
  EXPECT_EQ(first_sentence("\n\nParis is in France\nSo the answer is: France."), "Paris is in France");
  EXPECT_EQ(first_sentence("Who wrote it? Someone did."), "Who wrote it?");
  EXPECT_EQ(first_sentence("It won! Then it lost."), "It won!");
  EXPECT_EQ(first_sentence("So the answer is: France."), "So the answer is: France.");
  EXPECT_EQ(first_sentence(""), "");
  EXPECT_EQ(first_sentence(" \n "), "");
}

TEST(FirstSentence, DoesNotEndAtInitialsAbbreviationsOrNumbers) {
  EXPECT_EQ(first_sentence("J. K. Rowling wrote it. Then more."), "J. K. Rowling wrote it.");
  EXPECT_EQ(first_sentence("It is in St. Louis, Mo. and more. Next."), "It is in St. Louis, Mo. and more.");
  EXPECT_EQ(first_sentence("He moved to the U.S. in 1990. Next."), "He moved to the U.S. in 1990.");
  EXPECT_EQ(first_sentence("It costs 3.5 dollars. Next."), "It costs 3.5 dollars.");
  EXPECT_EQ(first_sentence("It ends here. but this is lower-case. Next."), "It ends here. but this is lower-case.");
  EXPECT_EQ(first_sentence("He said \"stop.\" Then left."), "He said \"stop.\"");
}

TEST(SplitSentences, SplitsAParagraph) {
  const auto sentences = split_sentences("Ana Varen (born 1950) is a painter. She was born in Brimford.  Ana Varen married Dr. Tom Kell.");
  ASSERT_EQ(sentences.size(), 3u);
  EXPECT_EQ(sentences[0], "Ana Varen (born 1950) is a painter.");
  EXPECT_EQ(sentences[1], "She was born in Brimford.");
  EXPECT_EQ(sentences[2], "Ana Varen married Dr. Tom Kell.");
  EXPECT_TRUE(split_sentences("   ").empty());
  EXPECT_EQ(split_sentences("No final stop").size(), 1u);
}

TEST(TruncateWords, KeepsTheFirstWords) {
  EXPECT_EQ(truncate_words("one two  three four", 2), "one two");
  EXPECT_EQ(truncate_words("one two three", 3), "one two three");
  EXPECT_EQ(truncate_words("one two three", 5), "one two three");
  EXPECT_EQ(truncate_words("one two three", 0), "one two three");
  EXPECT_EQ(truncate_words("  one\ntwo three", 2), "  one\ntwo");
  EXPECT_EQ(count_words("  one\ntwo three "), 3);
  EXPECT_EQ(count_words(""), 0);
  EXPECT_EQ(count_words("  \n\t "), 0);
  EXPECT_EQ(count_words("one"), 1);
  EXPECT_EQ(count_words(" Paris is\nin  France. "), 4);
}

}  // namespace
}  // namespace steper::support
