// Training a small byte-level BPE: determinism, what is learned, round trips and reloading.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace steper::bpe {
namespace {

using testing::error_of;
using testing::read_file;
using testing::spellings_of;
using testing::TemporaryFolder;

std::vector<std::string> small_corpus() {
  std::vector<std::string> texts;
  for (int i = 0; i < 20; ++i) {
    texts.push_back("the cat sat on the mat; the dog sat on the log. Number " + std::to_string(i * 37) +
                    "!\n<|end|>");
    texts.push_back("Le chat était sur le tapis. 猫がマットの上に座った。 🐱🐱\n\n    indented();");
  }
  return texts;
}

BpeTrainOptions small_options() {
  BpeTrainOptions options;
  options.vocab_size = 330;
  options.special_tokens = {"<|begin|>", "<|end|>"};
  options.bos_token = "<|begin|>";
  return options;
}

TEST(Training, IsDeterministic) {
  TemporaryFolder folder;
  train_bpe(small_corpus(), small_options()).save(folder.path() / "first.json");
  train_bpe(small_corpus(), small_options()).save(folder.path() / "second.json");
  EXPECT_EQ(read_file(folder.path() / "first.json"), read_file(folder.path() / "second.json"));
}

TEST(Training, PutsSpecialTokensThenBytesThenMerges) {
  const Tokenizer tokenizer = train_bpe(small_corpus(), small_options());
  EXPECT_EQ(tokenizer.vocab_size(), 330);
  EXPECT_EQ(tokenizer.token_id("<|begin|>"), 0);
  EXPECT_EQ(tokenizer.token_id("<|end|>"), 1);
  EXPECT_TRUE(tokenizer.is_special(1));
  EXPECT_EQ(tokenizer.token(2), "!");  // the byte alphabet in GPT-2's order
  EXPECT_EQ(tokenizer.token(2 + 255), "Ń");
  // " the" is the most frequent pre-token: it ends up as one token.
  EXPECT_EQ(spellings_of(tokenizer, tokenizer.encode(" the")), (std::vector<std::string>{"Ġthe"}));
  EXPECT_EQ(tokenizer.encode("<|end|>"), (std::vector<std::int32_t>{1}));
  EXPECT_EQ(tokenizer.encode_with_special("the").front(), 0);
  EXPECT_EQ(tokenizer.bos_id(), 0);
}

TEST(Training, BreaksTiesTowardsSmallerIds) {
  // "ab" and "cd" are equally frequent; a's id is below c's, so a-b merges first.
  BpeTrainOptions options;
  options.vocab_size = 257;
  options.min_frequency = 1;
  const Tokenizer tokenizer = train_bpe({"cd ab", "ab cd"}, options);
  EXPECT_EQ(tokenizer.token(256), "ab");
}

TEST(Training, LeavesRarePairsUnmerged) {
  BpeTrainOptions options;
  options.vocab_size = 1000;
  options.min_frequency = 3;
  const Tokenizer tokenizer = train_bpe({"xy xy", "zw"}, options);
  EXPECT_EQ(tokenizer.vocab_size(), 256);
  options.min_frequency = 2;
  EXPECT_EQ(train_bpe({"xy xy", "zw"}, options).token(256), "xy");
}

TEST(Training, SpecialTokensInTheTextsAreNotLearnedFrom) {
  BpeTrainOptions options;
  options.vocab_size = 300;
  options.special_tokens = {"<|x|>"};
  const Tokenizer tokenizer = train_bpe({"<|x|><|x|><|x|>", "<|x|>"}, options);
  EXPECT_EQ(tokenizer.vocab_size(), 257);
}

TEST(Training, EncodesAndDecodesRoundTrip) {
  const Tokenizer tokenizer = train_bpe(small_corpus(), small_options());
  const std::vector<std::string> texts = {
      "the cat sat", "unseen words: Zürich, Ελληνικά, 東京, 👨‍👩‍👧", "  spaces\t\ttabs\n\n",
      "<|end|>after", "", "123456789"};
  for (const std::string& text : texts) {
    EXPECT_EQ(tokenizer.decode(tokenizer.encode(text)), text);
  }
  for (const std::string& text : small_corpus()) EXPECT_EQ(tokenizer.decode(tokenizer.encode(text)), text);
}

TEST(Training, ReloadsIdentically) {
  TemporaryFolder folder;
  const Tokenizer trained = train_bpe(small_corpus(), small_options());
  trained.save(folder.path() / "tokenizer.json");
  const Tokenizer reloaded = Tokenizer::load(folder.path() / "tokenizer.json");
  EXPECT_EQ(reloaded.vocab_size(), trained.vocab_size());
  for (const std::string& text : small_corpus()) {
    EXPECT_EQ(reloaded.encode_with_special(text), trained.encode_with_special(text));
  }
  reloaded.save(folder.path() / "again.json");
  EXPECT_EQ(read_file(folder.path() / "again.json"), read_file(folder.path() / "tokenizer.json"));
  EXPECT_FALSE(std::filesystem::exists(folder.path() / "tokenizer.json.tmp"));
}

TEST(Training, RefusesOptionsItCannotHonour) {
  BpeTrainOptions options = small_options();
  options.vocab_size = 100;
  EXPECT_EQ(error_of([&] { train_bpe({"a"}, options); }),
            "train_bpe: vocab_size 100 is below the 258 ids that the 2 special tokens and the 256 "
            "bytes take");
  options = small_options();
  options.special_tokens.push_back("<|end|>");
  EXPECT_EQ(error_of([&] { train_bpe({"a"}, options); }),
            "train_bpe: special token \"<|end|>\" is listed twice");
  options = small_options();
  options.bos_token = "<s>";
  EXPECT_EQ(error_of([&] { train_bpe({"a"}, options); }),
            "train_bpe: bos_token \"<s>\" is not one of special_tokens");
  options = small_options();
  options.split_pattern = "[a-";
  EXPECT_NE(error_of([&] { train_bpe({"a"}, options); }).find("train_bpe: split_pattern: invalid regex"),
            std::string::npos);
  options = small_options();
  options.min_frequency = 0;
  EXPECT_EQ(error_of([&] { train_bpe({"a"}, options); }),
            "train_bpe: min_frequency must be at least 1, got 0");
}

TEST(Saving, ReportsAnUnwritableDestination) {
  TemporaryFolder folder;
  const Tokenizer tokenizer = train_bpe({"a"}, BpeTrainOptions{});
  const std::filesystem::path target = folder.path() / "missing" / "tokenizer.json";
  EXPECT_EQ(error_of([&] { tokenizer.save(target); }),
            target.string() + ".tmp: cannot create: No such file or directory");
}

}  // namespace
}  // namespace steper::bpe
