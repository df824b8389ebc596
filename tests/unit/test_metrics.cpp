// EM, F1 and Acc against method.md section 8 and hand-computed values.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "steper/metrics.hpp"

namespace steper {
namespace {

TEST(NormalizeAnswer, LowerCasesAndDropsPunctuation) {
  EXPECT_EQ(normalize_answer("Hello, World!"), "hello world");
  EXPECT_EQ(normalize_answer("U.S.A."), "usa");
  EXPECT_EQ(normalize_answer("don't"), "dont");
  EXPECT_EQ(normalize_answer("snake_case & {braces} ~tilde`"), "snakecase braces tilde");
}

TEST(NormalizeAnswer, DropsArticlesAsWholeWordsOnly) {
  EXPECT_EQ(normalize_answer("The Beatles"), "beatles");
  EXPECT_EQ(normalize_answer("a cat and an owl"), "cat and owl");
  EXPECT_EQ(normalize_answer("the theater of Athens"), "theater of athens");
  EXPECT_EQ(normalize_answer("another anthem, thereafter"), "another anthem thereafter");
  EXPECT_EQ(normalize_answer("The A-Team"), "ateam");  // punctuation goes first, so "A-" joins "Team"
}

TEST(NormalizeAnswer, CollapsesWhiteSpace) {
  EXPECT_EQ(normalize_answer("  new \t york\n city  "), "new york city");
  EXPECT_EQ(normalize_answer("new\xC2\xA0york"), "new york");  // no-break space
  EXPECT_EQ(normalize_answer(" the  a an "), "");
  EXPECT_EQ(normalize_answer(""), "");
  EXPECT_EQ(normalize_answer("?!."), "");
}

TEST(NormalizeAnswer, KeepsMultibyteCharactersWhole) {
  EXPECT_EQ(normalize_answer("Björk Guðmundsdóttir"), "björk guðmundsdóttir");
  EXPECT_EQ(normalize_answer("ÉCOLE NORMALE"), "école normale");
  EXPECT_EQ(normalize_answer("ŁÓDŹ"), "łódź");
  EXPECT_EQ(normalize_answer("ΑΘΗΝΑ"), "αθηνα");
  EXPECT_EQ(normalize_answer("МОСКВА"), "москва");
  EXPECT_EQ(normalize_answer("東京 Tower"), "東京 tower");
  EXPECT_EQ(normalize_answer("İzmir"), "i\xCC\x87zmir");  // as Python's str.lower()
}

TEST(NormalizeAnswer, LeavesUnicodePunctuationAsPythonStringPunctuationDoes) {
  EXPECT_EQ(normalize_answer("“Ender’s Game”"), "“ender’s game”");
  EXPECT_EQ(normalize_answer("1914–1918"), "1914–1918");
  // The dash is no word character, so "the" before it is still a whole word.
  EXPECT_EQ(normalize_answer("the–end"), "–end");
}

TEST(NormalizeAnswer, PassesInvalidUtf8BytesThrough) {
  EXPECT_EQ(normalize_answer("AB\xFF\xC3"), "ab\xFF\xC3");
  EXPECT_EQ(normalize_answer("\xE2\x80 The X"), "\xE2\x80 x");
}

TEST(ScoreAnswer, ExactMatchAfterNormalisation) {
  const auto scores = score_answer("The Eiffel Tower.", {"eiffel tower"});
  EXPECT_EQ(scores.em, 1.0);
  EXPECT_EQ(scores.f1, 1.0);
  EXPECT_EQ(scores.acc, 1.0);
}

TEST(ScoreAnswer, PartialOverlapCountsDuplicateTokensAsAMultiset) {
  // prediction "paris paris france" vs gold "paris city": one "paris" in common.
  // precision 1/3, recall 1/2, F1 = 2 * (1/3) * (1/2) / (1/3 + 1/2) = 0.4
  const auto scores = score_answer("Paris Paris France", {"Paris city"});
  EXPECT_EQ(scores.em, 0.0);
  EXPECT_DOUBLE_EQ(scores.f1, 0.4);
  EXPECT_EQ(scores.acc, 0.0);
  // prediction "a b b c" -> "b b c" vs gold "b b b d": two "b" in common.
  // precision 2/3, recall 2/4, F1 = 2 * (2/3) * (1/2) / (2/3 + 1/2) = 4/7
  EXPECT_DOUBLE_EQ(score_answer("a b b c", {"b b b d"}).f1, 4.0 / 7.0);
}

TEST(ScoreAnswer, AccuracyIsGoldContainedInPrediction) {
  const auto scores = score_answer("It was Barack Obama, in 2009.", {"Barack Obama"});
  EXPECT_EQ(scores.em, 0.0);
  EXPECT_EQ(scores.acc, 1.0);
  // "it was barack obama in 2009": precision 2/6, recall 1 -> F1 = 2 * (1/3) / (4/3) = 0.5
  EXPECT_DOUBLE_EQ(scores.f1, 0.5);
  EXPECT_EQ(score_answer("Obama", {"Barack Obama"}).acc, 0.0);
}

TEST(ScoreAnswer, TakesTheMaximumOfEachScoreOverGoldAliases) {
  const std::vector<std::string> golds = {"United States of America", "USA", "the U.S."};
  EXPECT_EQ(score_answer("U.S.A.", golds).em, 1.0);
  EXPECT_EQ(score_answer("us", golds).em, 1.0);
  // Each score is its own maximum: F1 from the first gold, Acc from the third.
  const auto scores = score_answer("states us", {"united states", "us"});
  EXPECT_EQ(scores.em, 0.0);
  EXPECT_DOUBLE_EQ(scores.f1, 2.0 / 3.0);  // vs "us": precision 1/2, recall 1 -> 2/3
  EXPECT_EQ(scores.acc, 1.0);
}

TEST(ScoreAnswer, EmptyPredictionScoresZeroAgainstANonEmptyGold) {
  const auto scores = score_answer("", {"Paris"});
  EXPECT_EQ(scores.em, 0.0);
  EXPECT_EQ(scores.f1, 0.0);
  EXPECT_EQ(scores.acc, 0.0);
  EXPECT_EQ(score_answer("The.", {"Paris"}).f1, 0.0);  // normalises to empty
}

TEST(ScoreAnswer, EmptyGoldMatchesOnlyAnEmptyPrediction) {
  const auto both_empty = score_answer("the", {"a"});
  EXPECT_EQ(both_empty.em, 1.0);
  EXPECT_EQ(both_empty.f1, 1.0);
  EXPECT_EQ(both_empty.acc, 1.0);
  const auto gold_empty = score_answer("Paris", {"?"});
  EXPECT_EQ(gold_empty.em, 0.0);
  EXPECT_EQ(gold_empty.f1, 0.0);
  EXPECT_EQ(gold_empty.acc, 0.0);
}

TEST(ScoreAnswer, NoGoldAnswersGiveZeros) {
  const auto scores = score_answer("Paris", {});
  EXPECT_EQ(scores.em, 0.0);
  EXPECT_EQ(scores.f1, 0.0);
  EXPECT_EQ(scores.acc, 0.0);
}

TEST(ScoreAnswer, ComparesUnicodeAnswersCaseInsensitively) {
  const auto scores = score_answer("ÉMILE ZOLA", {"Émile Zola"});
  EXPECT_EQ(scores.em, 1.0);
  EXPECT_EQ(score_answer("Emile Zola", {"Émile Zola"}).em, 0.0);
  EXPECT_DOUBLE_EQ(score_answer("Emile Zola", {"Émile Zola"}).f1, 0.5);
}

}  // namespace
}  // namespace steper
