// The analyzer's output on tricky text, pinned to what Elasticsearch's `english` analyzer gives.
#include <gtest/gtest.h>

#include "analyzer.hpp"

namespace steper::bm25 {
namespace {

using Tokens = std::vector<std::string>;

Tokens analyze(std::string_view text) {
  EnglishAnalyzer analyzer;
  return analyzer.analyze(text);
}

TEST(Bm25Analyzer, LowerCasesStemsAndDropsStopWords) {
  EXPECT_EQ(analyze("The Running foxes were jumping over THE lazy dogs"),
            (Tokens{"run", "fox", "were", "jump", "over", "lazi", "dog"}));
}

TEST(Bm25Analyzer, RemovesPossessives) {
  EXPECT_EQ(analyze("John's book, JOHN'S car, James’s hat, the dogs' bowls"),
            (Tokens{"john", "book", "john", "car", "jame", "hat", "dog", "bowl"}));
}

TEST(Bm25Analyzer, KeepsContractionsAndNamesWithApostrophes) {
  EXPECT_EQ(standard_tokens("don't O'Neil rock 'n' roll"), (Tokens{"don't", "o'neil", "rock", "n", "roll"}));
}

TEST(Bm25Analyzer, SplitsHyphensAndKeepsNumbersWhole) {
  EXPECT_EQ(analyze("state-of-the-art 1,000,000 people in 3.14 km² on 2021-05-06"),
            (Tokens{"state", "art", "1,000,000", "peopl", "3.14", "km", "2021", "05", "06"}));
}

TEST(Bm25Analyzer, KeepsAcronymsAndLetterDigitRuns) {
  EXPECT_EQ(standard_tokens("U.S.A. B2B snake_case mp3."), (Tokens{"u.s.a", "b2b", "snake_case", "mp3"}));
}

TEST(Bm25Analyzer, SplitsOnPunctuationRunsAndSymbols) {
  EXPECT_EQ(standard_tokens("...hello!!!---world???  (tab)\there — «quoted» ¿qué? ___"),
            (Tokens{"hello", "world", "tab", "here", "quoted", "qué"}));
}

TEST(Bm25Analyzer, HandlesUnicodeLettersAndIdeographs) {
  EXPECT_EQ(standard_tokens("Émile ZOLA Ωmega Москва 東京タワー"),
            (Tokens{"émile", "zola", "ωmega", "москва", "東", "京", "タワー"}));
}

TEST(Bm25Analyzer, MalformedUtf8SeparatesWords) {
  EXPECT_EQ(standard_tokens("abc\xff" "def \xe2\x82"), (Tokens{"abc", "def"}));
}

TEST(Bm25Analyzer, MixesAsciiRunsWithOtherLettersAndPunctuationInsideWords) {
  EXPECT_EQ(standard_tokens("ABC123def naïve Café's über-cool"), (Tokens{"abc123def", "naïve", "café's", "über", "cool"}));
  EXPECT_EQ(analyze("ABC123def naïve Café's über-cool"), (Tokens{"abc123def", "naïv", "café", "über", "cool"}));
  EXPECT_EQ(standard_tokens("x.y.z 3.5.6 a'b ab' ÀB.ÇD 12,34 ,5 end."),
            (Tokens{"x.y.z", "3.5.6", "a'b", "ab", "àb.çd", "12,34", "5", "end"}));
}

TEST(Bm25Analyzer, StopWordsOnlyAndEmptyTextGiveNoTokens) {
  EXPECT_TRUE(analyze("").empty());
  EXPECT_TRUE(analyze("   ,.;  ").empty());
  EXPECT_EQ(analyze("To be, or not to be: that is the question?"), Tokens{"question"});
  EXPECT_TRUE(analyze("The THE a An and IS it").empty());
}

TEST(Bm25Analyzer, StopListIsLucenesEnglishSet) {
  for (const char* word : {"a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
                           "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
                           "they", "this", "to", "was", "will", "with"})
    EXPECT_TRUE(is_english_stop_word(word)) << word;
  for (const char* word : {"he", "she", "were", "have", "from"}) EXPECT_FALSE(is_english_stop_word(word)) << word;
}

}  // namespace
}  // namespace steper::bm25
