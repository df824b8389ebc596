// tokenizer_config.json's clean_up_tokenization_spaces, read and applied as transformers does.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace steper::bpe {
namespace {

using testing::error_of;
using testing::load_json;
using testing::TemporaryFolder;
using testing::tiny_tokenizer_json;
using testing::write_file;

TEST(CleanUpTokenization, DropsTheSpaceBeforePunctuationAndContractions) {
  EXPECT_EQ(clean_up_tokenization("Hello , world ! Is it ? Yes ."), "Hello, world! Is it? Yes.");
  EXPECT_EQ(clean_up_tokenization("I do n't know , I 'm sure you 're right : we 've seen it 's fine"),
            "I don't know, I'm sure you're right : we've seen it's fine");
  EXPECT_EQ(clean_up_tokenization("rock ' n ' roll"), "rock'n'roll");
  EXPECT_EQ(clean_up_tokenization("Wait . . ."), "Wait...");
}

TEST(CleanUpTokenization, ReplacesOncePerOccurrenceLikePythonsReplace) {
  EXPECT_EQ(clean_up_tokenization("a  . b"), "a . b");      // one space dropped, not both
  EXPECT_EQ(clean_up_tokenization("can 't , ca n't"), "can 't, can't");  // " 't" is not in the list
  EXPECT_EQ(clean_up_tokenization("it ' s"), "it's");       // " ' " before " 's"
  EXPECT_EQ(clean_up_tokenization("café ."), "café.");
}

TEST(CleanUpTokenization, LeavesOtherTextAlone) {
  EXPECT_EQ(clean_up_tokenization(""), "");
  EXPECT_EQ(clean_up_tokenization("   "), "   ");
  EXPECT_EQ(clean_up_tokenization("Hello, world. It's fine: (yes) ; no"), "Hello, world. It's fine: (yes) ; no");
  EXPECT_EQ(clean_up_tokenization(".?!, 's"), ".?!,'s");
}

class TokenizerConfigFile : public ::testing::Test {
 protected:
  // Decodes `text`, encoded by a tokenizer loaded with the folder's tokenizer_config.json.
  std::string round_trip(const std::string& text) {
    load_json(folder, tiny_tokenizer_json());
    const Tokenizer tokenizer = Tokenizer::load(folder.path() / "tokenizer.json", read_tokenizer_config(config()));
    return tokenizer.decode(tokenizer.encode(text));
  }
  std::string error() { return error_of([&] { read_tokenizer_config(config()); }); }
  std::filesystem::path config() const { return folder.path() / "tokenizer_config.json"; }
  TemporaryFolder folder;
};

TEST_F(TokenizerConfigFile, TrueCleansUpWhatIsDecoded) {
  write_file(config(), R"({"bos_token": "<s>", "clean_up_tokenization_spaces": true, "model_max_length": 8})");
  EXPECT_TRUE(read_tokenizer_config(config()).clean_up_tokenization_spaces);
  EXPECT_EQ(round_trip("Hi , you do n't ?"), "Hi, you don't?");
}

TEST_F(TokenizerConfigFile, FalseNullOrAbsentLeaveTheSpaces) {
  EXPECT_EQ(round_trip("Hi , you do n't ?"), "Hi , you do n't ?");  // no file
  for (const char* document : {R"({"clean_up_tokenization_spaces": false})",
                               R"({"clean_up_tokenization_spaces": null})", R"({"bos_token": "<s>"})"}) {
    write_file(config(), document);
    EXPECT_FALSE(read_tokenizer_config(config()).clean_up_tokenization_spaces) << document;
    EXPECT_EQ(round_trip("Hi , you do n't ?"), "Hi , you do n't ?") << document;
  }
}

TEST_F(TokenizerConfigFile, ABadFileIsAnErrorNamingTheFileAndKey) {
  const std::string file = config().string() + ": ";
  write_file(config(), R"({"clean_up_tokenization_spaces": "yes"})");
  EXPECT_EQ(error(), file + "clean_up_tokenization_spaces: expected true or false, found string \"yes\"");
  write_file(config(), R"({"clean_up_tokenization_spaces": 1})");
  EXPECT_EQ(error(), file + "clean_up_tokenization_spaces: expected true or false, found number 1");
  write_file(config(), R"([{"clean_up_tokenization_spaces": true}])");
  EXPECT_EQ(error(), file + "document root: expected an object, found array [{\"clean_up_tokenization_spaces\":true}]");
  write_file(config(), R"({"clean_up_tokenization_spaces": tru)");
  EXPECT_EQ(error().rfind(file + "not valid JSON: ", 0), 0u) << error();
  write_file(config(), std::string(100000, '[') + std::string(100000, ']'));
  EXPECT_EQ(error().rfind(file + "not valid JSON: ", 0), 0u) << error();
}

TEST_F(TokenizerConfigFile, AHugeFileIsRefusedUnread) {
  write_file(config(), "{}");
  std::filesystem::resize_file(config(), (std::uintmax_t{64} << 20) + 1);  // sparse: no disk used
  EXPECT_EQ(error(), config().string() + ": too large: 67108865 bytes (at most 67108864)");
}

}  // namespace
}  // namespace steper::bpe
