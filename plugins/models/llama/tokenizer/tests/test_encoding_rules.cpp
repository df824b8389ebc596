// The encoding and decoding rules, each on a tiny tokenizer.json written by the test.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace steper::bpe {
namespace {

using testing::added_token_json;
using testing::ids_of;
using testing::load_json;
using testing::spellings_of;
using testing::TemporaryFolder;
using testing::tiny_tokenizer_json;
using Spellings = std::vector<std::string>;

class EncodingRules : public ::testing::Test {
 protected:
  Spellings encoded(const Tokenizer& tokenizer, std::string_view text) {
    return spellings_of(tokenizer, tokenizer.encode(text));
  }
  TemporaryFolder folder;
};

TEST_F(EncodingRules, LowerRankMergesFirst) {
  const Tokenizer bc_first = load_json(folder, tiny_tokenizer_json({"ab", "bc"}, {"b c", "a b"}));
  EXPECT_EQ(encoded(bc_first, "abc"), (Spellings{"a", "bc"}));
  const Tokenizer ab_first = load_json(folder, tiny_tokenizer_json({"ab", "bc"}, {"a b", "b c"}));
  EXPECT_EQ(encoded(ab_first, "abc"), (Spellings{"ab", "c"}));
}

TEST_F(EncodingRules, EqualRanksMergeLeftmostFirst) {
  const Tokenizer tokenizer = load_json(folder, tiny_tokenizer_json({"aa"}, {"a a"}));
  EXPECT_EQ(encoded(tokenizer, "aaa"), (Spellings{"aa", "a"}));
  EXPECT_EQ(encoded(tokenizer, "aaaaa"), (Spellings{"aa", "aa", "a"}));
}

TEST_F(EncodingRules, MergesChainIntoLongerTokens) {
  const Tokenizer tokenizer = load_json(
      folder, tiny_tokenizer_json({"Ġt", "he", "Ġthe"}, {"Ġ t", "h e", "Ġt he"}));
  EXPECT_EQ(encoded(tokenizer, "the the"), (Spellings{"t", "he", "Ġthe"}));
}

TEST_F(EncodingRules, MergesReadInBothForms) {
  nlohmann::json document = tiny_tokenizer_json({"ab", "bc"}, {});
  document["model"]["merges"] = nlohmann::json::array({nlohmann::json::array({"b", "c"}),
                                                      nlohmann::json::array({"a", "b"})});
  EXPECT_EQ(encoded(load_json(folder, document), "abc"), (Spellings{"a", "bc"}));
}

TEST_F(EncodingRules, IgnoreMergesEmitsAVocabularyPreTokenWhole) {
  // "abc" is in the vocabulary, but no merge leads to it.
  nlohmann::json document = tiny_tokenizer_json({"ab", "abc"}, {"a b"});
  EXPECT_EQ(encoded(load_json(folder, document), "abc"), (Spellings{"ab", "c"}));
  document["model"]["ignore_merges"] = true;
  EXPECT_EQ(encoded(load_json(folder, document), "abc"), (Spellings{"abc"}));
  EXPECT_EQ(encoded(load_json(folder, document), "abcabc"), (Spellings{"ab", "c", "ab", "c"}));
}

TEST_F(EncodingRules, UnseenBytesFallBackToTheByteAlphabet) {
  const Tokenizer tokenizer = load_json(folder, tiny_tokenizer_json());
  // "é" is the bytes C3 A9, shown as "Ã" and "©"; 🍕 is F0 9F 8D 95.
  EXPECT_EQ(encoded(tokenizer, "é"), (Spellings{"Ã", "©"}));
  EXPECT_EQ(tokenizer.encode("🍕").size(), 4u);
  EXPECT_EQ(tokenizer.decode(tokenizer.encode("é 🍕\n\tz")), "é 🍕\n\tz");
}

TEST_F(EncodingRules, AMissingByteTokenIsAnErrorWithoutUnk) {
  nlohmann::json document = tiny_tokenizer_json({"<unk>"});
  document["model"]["vocab"].erase("z");
  const Tokenizer no_unk = load_json(folder, document);
  EXPECT_EQ(testing::error_of([&] { no_unk.encode("az"); }),
            "the vocabulary has no token for byte 0x7A and the model names no unk_token");
  document["model"]["unk_token"] = "<unk>";
  EXPECT_EQ(encoded(load_json(folder, document), "azz"), (Spellings{"a", "<unk>", "<unk>"}));
  document["model"]["fuse_unk"] = true;
  EXPECT_EQ(encoded(load_json(folder, document), "azz"), (Spellings{"a", "<unk>"}));
}

TEST_F(EncodingRules, SplitPatternKeepsPiecesApart) {
  // Llama 3's pattern splits "ab" from " cd", so the b-Ġ merge never applies.
  const Tokenizer tokenizer = load_json(folder, tiny_tokenizer_json({"bĠ"}, {"b Ġ"}));
  EXPECT_EQ(encoded(tokenizer, "ab cd"), (Spellings{"a", "b", "Ġ", "c", "d"}));
  // Digits go in runs of at most three.
  EXPECT_EQ(tokenizer.encode("12345").size(), 5u);
}

TEST_F(EncodingRules, StringSplitPatternsMatchLiterally) {
  nlohmann::json document = tiny_tokenizer_json({"ab", "b."}, {"a b", "b ."});
  document["pre_tokenizer"]["pretokenizers"][0]["pattern"] = {{"String", "."}};
  EXPECT_EQ(encoded(load_json(folder, document), "ab.ab"), (Spellings{"ab", ".", "ab"}));
}

TEST_F(EncodingRules, PlainByteLevelUsesGpt2PatternAndPrefixSpace) {
  nlohmann::json document = tiny_tokenizer_json({"bĠ", "Ġa"}, {"b Ġ", "Ġ a"});
  document["pre_tokenizer"] = {{"type", "ByteLevel"}, {"add_prefix_space", true},
                               {"trim_offsets", true}, {"use_regex", true}};
  const Tokenizer gpt2 = load_json(folder, document);
  EXPECT_EQ(encoded(gpt2, "ab ab"), (Spellings{"Ġa", "b", "Ġa", "b"}));
  EXPECT_EQ(encoded(gpt2, " ab"), (Spellings{"Ġa", "b"}));  // a space already there is not doubled
  document["pre_tokenizer"]["use_regex"] = false;
  document["pre_tokenizer"]["add_prefix_space"] = false;
  EXPECT_EQ(encoded(load_json(folder, document), "ab ab"), (Spellings{"a", "bĠ", "a", "b"}));
}

TEST_F(EncodingRules, AddedTokensAreFoundInTheRawTextLongestFirst) {
  nlohmann::json document = tiny_tokenizer_json();
  document["added_tokens"] = {added_token_json(256, "<|x|>"), added_token_json(257, "<|x|>y"),
                              added_token_json(258, "word", /*special=*/false)};
  const Tokenizer tokenizer = load_json(folder, document);
  EXPECT_EQ(encoded(tokenizer, "a<|x|>b<|x|>yc"), (Spellings{"a", "<|x|>", "b", "<|x|>y", "c"}));
  EXPECT_EQ(encoded(tokenizer, "a word"), (Spellings{"a", "Ġ", "word"}));
  EXPECT_EQ(encoded(tokenizer, "<|x"), (Spellings{"<", "|", "x"}));
  EXPECT_EQ(tokenizer.vocab_size(), 259);
}

TEST_F(EncodingRules, AddedTokensStripAndMatchWholeWordsWhenAsked) {
  nlohmann::json document = tiny_tokenizer_json();
  nlohmann::json left = added_token_json(256, "<L>");
  left["lstrip"] = true;
  nlohmann::json right = added_token_json(257, "<R>");
  right["rstrip"] = true;
  nlohmann::json word = added_token_json(258, "cat", false);
  word["single_word"] = true;
  document["added_tokens"] = {left, right, word};
  const Tokenizer tokenizer = load_json(folder, document);
  EXPECT_EQ(encoded(tokenizer, "a \t <L> b"), (Spellings{"a", "<L>", "Ġ", "b"}));
  EXPECT_EQ(encoded(tokenizer, "a <R> \n b"), (Spellings{"a", "Ġ", "<R>", "b"}));
  EXPECT_EQ(encoded(tokenizer, "cat cats"), (Spellings{"cat", "Ġ", "c", "a", "t", "s"}));
}

TEST_F(EncodingRules, NfcNormalizesTextAndNormalizedAddedTokens) {
  nlohmann::json document = tiny_tokenizer_json();
  document["normalizer"] = {{"type", "NFC"}};
  nlohmann::json e_acute = added_token_json(256, "e\xCC\x81", false);  // e + combining acute
  e_acute["normalized"] = true;
  document["added_tokens"] = nlohmann::json::array({e_acute});
  const Tokenizer tokenizer = load_json(folder, document);
  EXPECT_EQ(encoded(tokenizer, "e\xCC\x81"), (Spellings{"e\xCC\x81"}));  // matched as "é"
  EXPECT_EQ(encoded(tokenizer, "\xC3\xA9"), (Spellings{"e\xCC\x81"}));
  EXPECT_EQ(encoded(tokenizer, "A\xCC\x8A"), (Spellings{"Ã", "ħ"}));  // Å, C3 85

  document["added_tokens"][0]["normalized"] = false;
  const Tokenizer raw = load_json(folder, document);
  EXPECT_EQ(encoded(raw, "\xC3\xA9"), (Spellings{"Ã", "©"}));
}

TEST_F(EncodingRules, TemplateProcessingWrapsTheText) {
  nlohmann::json document = tiny_tokenizer_json();
  document["added_tokens"] = {added_token_json(256, "<s>"), added_token_json(257, "</s>")};
  const auto special = [](const char* id, int type_id) {
    return nlohmann::json{{"SpecialToken", {{"id", id}, {"type_id", type_id}}}};
  };
  const auto sequence = [](const char* id, int type_id) {
    return nlohmann::json{{"Sequence", {{"id", id}, {"type_id", type_id}}}};
  };
  document["post_processor"] = {
      {"type", "Sequence"},
      {"processors",
       {{{"type", "ByteLevel"}, {"add_prefix_space", true}, {"trim_offsets", false}, {"use_regex", true}},
        {{"type", "TemplateProcessing"},
         {"single", {special("<s>", 0), sequence("A", 0), special("</s>", 0)}},
         {"pair", {special("<s>", 0), sequence("A", 0), sequence("B", 1), special("</s>", 1)}},
         {"special_tokens",
          {{"<s>", {{"id", "<s>"}, {"ids", {256}}, {"tokens", {"<s>"}}}},
           {"</s>", {{"id", "</s>"}, {"ids", {257}}, {"tokens", {"</s>"}}}}}}}}}};
  const Tokenizer tokenizer = load_json(folder, document);
  EXPECT_EQ(spellings_of(tokenizer, tokenizer.encode_with_special("ab")),
            (Spellings{"<s>", "a", "b", "</s>"}));
  EXPECT_EQ(spellings_of(tokenizer, tokenizer.encode_with_special("")), (Spellings{"<s>", "</s>"}));
  EXPECT_EQ(tokenizer.bos_id(), 256);
  EXPECT_EQ(tokenizer.eos_id(), 257);
  document["post_processor"] = nullptr;
  const Tokenizer bare = load_json(folder, document);
  EXPECT_EQ(bare.encode_with_special("ab"), bare.encode("ab"));
  EXPECT_EQ(bare.bos_id(), std::nullopt);
}

TEST_F(EncodingRules, DecodeSkipsSpecialTokensOnRequestAndUnknownIds) {
  nlohmann::json document = tiny_tokenizer_json();
  document["added_tokens"] = {added_token_json(256, "<s>"), added_token_json(300, "<tool>", false)};
  const Tokenizer tokenizer = load_json(folder, document);
  const std::vector<std::int32_t> ids = tokenizer.encode("<s>hi <tool> there");
  EXPECT_EQ(tokenizer.decode(ids), "<s>hi <tool> there");
  EXPECT_EQ(tokenizer.decode(ids, /*skip_special=*/true), "hi <tool> there");
  EXPECT_EQ(tokenizer.vocab_size(), 301);
  EXPECT_EQ(tokenizer.decode({-1, 280, 301, 1 << 30}), "");  // ids that no token has
  EXPECT_EQ(tokenizer.token(280), std::nullopt);
}

TEST_F(EncodingRules, TokensOutsideTheByteAlphabetDecodeAsWritten) {
  // "a b" holds a real space, which no byte shows: decoding writes the token as it is spelled.
  const Tokenizer tokenizer = load_json(folder, tiny_tokenizer_json({"a b", "Ġc"}));
  EXPECT_EQ(tokenizer.decode(ids_of(tokenizer, {"a b", "Ġc"})), "a b c");
}

TEST_F(EncodingRules, IllFormedUtf8IsReadAsReplacementCharacters) {
  const Tokenizer tokenizer = load_json(folder, tiny_tokenizer_json());
  EXPECT_EQ(tokenizer.encode("a\xFF" "b\xE2\x82"), tokenizer.encode("a\xEF\xBF\xBD" "b\xEF\xBF\xBD"));
  EXPECT_EQ(tokenizer.encode("a\xC0\xAF"), tokenizer.encode("a\xEF\xBF\xBD\xEF\xBF\xBD"));
  EXPECT_EQ(tokenizer.decode(tokenizer.encode("a\xFF" "b\xED\xA0\x80")),
            "a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  // A lone lead byte decodes to U+FFFD, as the reference decoders do.
  EXPECT_EQ(tokenizer.decode(ids_of(tokenizer, {"Ã"})), "\xEF\xBF\xBD");
}

TEST_F(EncodingRules, EmptyAndWhiteSpaceOnlyTexts) {
  const Tokenizer tokenizer = load_json(folder, tiny_tokenizer_json({"ĠĠ"}, {"Ġ Ġ"}));
  EXPECT_TRUE(tokenizer.encode("").empty());
  EXPECT_EQ(tokenizer.decode({}), "");
  EXPECT_EQ(encoded(tokenizer, "    "), (Spellings{"ĠĠ", "ĠĠ"}));
  const std::string long_run(1 << 16, ' ');  // one pre-token of 65536 spaces
  EXPECT_EQ(tokenizer.encode(long_run).size(), std::size_t{1} << 15);
}

}  // namespace
}  // namespace steper::bpe
