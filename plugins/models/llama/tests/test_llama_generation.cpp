// Batched decoding: the KV cache gives the tokens that recomputation gives, stop strings and
// limits end sequences, sampling follows its seed.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "generation.hpp"
#include "tiny_model.hpp"

namespace steper::llama {
namespace {

using testing::tiny_config;

// Token i reads as the letter 'a' + i % 26 (enough to test stop strings without a tokenizer).
std::string letters(const TokenIds& ids) {
  std::string text;
  for (const auto id : ids) text.push_back(static_cast<char>('a' + id % 26));
  return text;
}

DecodeSetup setup(bool use_cache) {
  DecodeSetup s;
  s.detokenize = letters;
  s.use_cache = use_cache;
  return s;
}

const std::vector<TokenIds> kPrompts = {{5, 9, 13, 2}, {1}, {40, 41, 42, 43, 44, 45, 46, 47}};

TEST(Decode, CachedGreedyEqualsRecomputedGreedyTokenForToken) {
  for (const bool tied : {true, false}) {
    auto lm = testing::tiny_model(tiny_config(tied, tied ? "llama" : "qwen2"));
    std::vector<DecodeOptions> options(3);
    options[0].max_new_tokens = 20;
    options[1].max_new_tokens = 7;  // finishes early: the batch shrinks mid-way
    options[2].max_new_tokens = 20;
    const auto cached = decode(lm, kPrompts, options, setup(true));
    const auto recomputed = decode(lm, kPrompts, options, setup(false));
    for (std::size_t i = 0; i < kPrompts.size(); ++i) {
      EXPECT_EQ(cached[i].ids, recomputed[i].ids) << i;
      EXPECT_EQ(cached[i].ids.size(), static_cast<std::size_t>(options[i].max_new_tokens)) << i;
      EXPECT_EQ(cached[i].finish_reason, "length");
    }
  }
}

TEST(Decode, BatchedEqualsOneAtATime) {
  auto lm = testing::tiny_model(tiny_config());
  std::vector<DecodeOptions> options(3);
  for (auto& o : options) o.max_new_tokens = 12;
  const auto batched = decode(lm, kPrompts, options, setup(true));
  for (std::size_t i = 0; i < kPrompts.size(); ++i) {
    const auto alone = decode(lm, {kPrompts[i]}, {options[i]}, setup(true));
    EXPECT_EQ(alone[0].ids, batched[i].ids) << i;
  }
}

TEST(Decode, StopsAtStopStringsEndOfSequenceAndLimits) {
  auto lm = testing::tiny_model(tiny_config());
  DecodeOptions free_run;
  free_run.max_new_tokens = 16;
  const auto reference = decode(lm, {kPrompts[0]}, {free_run}, setup(true))[0];
  ASSERT_EQ(reference.text.size(), 16u);

  DecodeOptions stopping = free_run;
  stopping.stop = {reference.text.substr(5, 2)};  // the first occurrence is at or before offset 5
  const auto stopped = decode(lm, {kPrompts[0]}, {stopping}, setup(true))[0];
  EXPECT_EQ(stopped.finish_reason, "stop");
  EXPECT_EQ(stopped.text, reference.text.substr(0, reference.text.find(stopping.stop[0])));

  auto eos_setup = setup(true);
  eos_setup.eos_ids = {reference.ids[3]};
  const auto ended = decode(lm, {kPrompts[0]}, {free_run}, eos_setup)[0];
  const auto first = std::find(reference.ids.begin(), reference.ids.end(), reference.ids[3]) - reference.ids.begin();
  EXPECT_EQ(ended.finish_reason, "eos");
  EXPECT_EQ(ended.ids.size(), static_cast<std::size_t>(first + 1));
  EXPECT_EQ(ended.text, reference.text.substr(0, static_cast<std::size_t>(first)));

  DecodeOptions none = free_run;
  none.max_new_tokens = 0;
  const auto nothing = decode(lm, {kPrompts[0], kPrompts[1]}, {none, free_run}, setup(true));
  EXPECT_TRUE(nothing[0].ids.empty());
  EXPECT_EQ(nothing[0].finish_reason, "length");
  EXPECT_EQ(nothing[1].ids.size(), 16u);
}

TEST(Decode, SamplingFollowsTheSeed) {
  auto lm = testing::tiny_model(tiny_config(), 7, 1.0);
  DecodeOptions sample;
  sample.max_new_tokens = 24;
  sample.temperature = 1.5;
  sample.top_p = 0.95;
  sample.seed = 42;
  const auto a = decode(lm, {kPrompts[0]}, {sample}, setup(true))[0];
  const auto b = decode(lm, {kPrompts[0]}, {sample}, setup(true))[0];
  EXPECT_EQ(a.ids, b.ids);
  sample.seed = 43;
  const auto c = decode(lm, {kPrompts[0]}, {sample}, setup(true))[0];
  EXPECT_NE(a.ids, c.ids);
  DecodeOptions greedy;
  greedy.max_new_tokens = 24;
  EXPECT_NE(a.ids, decode(lm, {kPrompts[0]}, {greedy}, setup(true))[0].ids);
}

TEST(Decode, RejectsEmptyPrompts) {
  auto lm = testing::tiny_model(tiny_config());
  EXPECT_THROW(decode(lm, {TokenIds{}}, {DecodeOptions{}}, setup(true)), std::invalid_argument);
}

}  // namespace
}  // namespace steper::llama
