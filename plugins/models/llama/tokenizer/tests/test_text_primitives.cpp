// The building blocks below the tokenizer: UTF-8 repair, the byte-level alphabet, the PCRE2
// splitter and NFC.
#include <gtest/gtest.h>

#include "byte_level.hpp"
#include "nfc.hpp"
#include "regex_splitter.hpp"
#include "utf8.hpp"

namespace steper::bpe {
namespace {

std::string repaired(std::string_view bytes) {
  std::string out;
  append_repaired_utf8(out, bytes);
  return out;
}

std::vector<std::string> split(const RegexSplitter& splitter, std::string_view text) {
  std::vector<std::string_view> pieces;
  splitter.split(text, pieces);
  return {pieces.begin(), pieces.end()};
}

using Pieces = std::vector<std::string>;
const std::string kFFFD = "\xEF\xBF\xBD";

TEST(Utf8, RepairReplacesEachMaximalIllFormedSubsequence) {
  EXPECT_EQ(repaired("plain é 🍕"), "plain é 🍕");
  EXPECT_EQ(repaired("\xF0\x9F\x8D"), kFFFD);                 // truncated 4-byte sequence
  EXPECT_EQ(repaired("\xF0\x9F\x8Dx"), kFFFD + "x");
  EXPECT_EQ(repaired("\xC0\x80"), kFFFD + kFFFD);             // overlong: no valid lead
  EXPECT_EQ(repaired("\xED\xA0\x80"), kFFFD + kFFFD + kFFFD);  // a surrogate
  EXPECT_EQ(repaired("\xF4\x90\x80\x80"), kFFFD + kFFFD + kFFFD + kFFFD);  // above U+10FFFF
  EXPECT_EQ(repaired("\x80\xBF"), kFFFD + kFFFD);
  EXPECT_FALSE(is_valid_utf8("a\xFF"));
  EXPECT_TRUE(is_valid_utf8("a\xF4\x8F\xBF\xBF"));
}

TEST(Utf8, WalksCodePointsBothWays) {
  const std::string text = "a\xC3\xA9\xF0\x9F\x8D\x95";
  std::size_t pos = 0;
  EXPECT_EQ(next_code_point(text, pos), U'a');
  EXPECT_EQ(next_code_point(text, pos), U'\u00E9');
  EXPECT_EQ(next_code_point(text, pos), U'\U0001F355');
  EXPECT_EQ(pos, text.size());
  EXPECT_EQ(previous_code_point(text, pos), U'\U0001F355');
  EXPECT_EQ(pos, 3u);
  EXPECT_TRUE(is_white_space(U'\u3000'));
  EXPECT_FALSE(is_white_space(U'\u200B'));
}

TEST(ByteLevel, MapsEveryByteAndBack) {
  std::string all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
  EXPECT_EQ(from_byte_level(to_byte_level(all)), all);
  EXPECT_EQ(to_byte_level(" \n"), "ĠĊ");
  EXPECT_EQ(from_byte_level("Ġthe"), " the");
  EXPECT_EQ(from_byte_level("<|eot_id|>"), "<|eot_id|>");
  EXPECT_EQ(from_byte_level("a b"), std::nullopt);  // a real space is not in the alphabet
  EXPECT_EQ(from_byte_level("日"), std::nullopt);
}

TEST(RegexSplitter, KeepsMatchesAndTheTextBetweenThem) {
  const RegexSplitter digits = RegexSplitter::regex("\\p{N}+");
  EXPECT_EQ(split(digits, "ab12cd345"), (Pieces{"ab", "12", "cd", "345"}));
  EXPECT_EQ(split(digits, "12"), (Pieces{"12"}));
  EXPECT_EQ(split(digits, ""), Pieces{});
  EXPECT_EQ(split(digits, "٣٤x"), (Pieces{"٣٤", "x"}));  // Unicode digits (UCP)
}

TEST(RegexSplitter, EmptyMatchesSplitNothing) {
  const RegexSplitter maybe = RegexSplitter::regex("x*");
  EXPECT_EQ(split(maybe, "abxxcé"), (Pieces{"ab", "xx", "cé"}));
}

TEST(RegexSplitter, CaseInsensitiveGroupsAndLiterals) {
  const RegexSplitter contractions = RegexSplitter::regex("(?i:'s|'ll)");
  EXPECT_EQ(split(contractions, "IT'S WE'LL"), (Pieces{"IT", "'S", " WE", "'LL"}));
  const RegexSplitter dot = RegexSplitter::literal("a.");
  EXPECT_EQ(split(dot, "a.ba.xab"), (Pieces{"a.", "b", "a.", "xab"}));
}

TEST(RegexSplitter, ReportsBadPatterns) {
  try {
    RegexSplitter::regex("a{2,1}");
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()),
              "invalid regex at offset 5: numbers out of order in {} quantifier");
  }
}

TEST(Nfc, ComposesAndLeavesComposedTextAlone) {
  EXPECT_EQ(to_nfc("e\xCC\x81"), "\xC3\xA9");
  EXPECT_EQ(to_nfc("already é"), "already é");
  EXPECT_EQ(to_nfc("\xE1\x84\x80\xE1\x85\xA1"), "\xEA\xB0\x80");  // Hangul jamo to 가
  EXPECT_EQ(to_nfc(""), "");
}

}  // namespace
}  // namespace steper::bpe
