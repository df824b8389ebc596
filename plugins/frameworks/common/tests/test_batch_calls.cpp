// Batched retrieval and generation: failures stay with the query or request they belong to.
#include <gtest/gtest.h>

#include "batch_calls.hpp"
#include "framework_test_support.hpp"

namespace steper::frameworks {
namespace {

using steper::testing::FixedRetriever;
using steper::testing::ScriptedModel;
using steper::testing::text_result;

const Corpus kCorpus({{"p0", "A", "a"}, {"p1", "B", "b"}, {"p2", "C", "c"}});

TEST(BatchCalls, OneBatchWhenNothingFails) {
  FixedRetriever retriever;
  retriever.hits["x"] = {{2, 3.0}, {0, 1.5}, {1, 1.0}};
  const auto out = retrieve_all(retriever, {"x", "y"}, 2, kCorpus);
  EXPECT_EQ(retriever.batch_calls, 1);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].ids, (std::vector<std::string>{"p2", "p0"}));
  EXPECT_EQ(out[0].scores, (std::vector<double>{3.0, 1.5}));
  EXPECT_TRUE(out[1].ids.empty());
  EXPECT_TRUE(out[0].error.empty() && out[1].error.empty());
}

TEST(BatchCalls, AFailingQueryFailsAlone) {
  FixedRetriever retriever;
  retriever.hits["x"] = {{1, 2.0}};
  retriever.hits["bad doc"] = {{9, 2.0}};
  retriever.fail_on = {"broken"};
  const auto out = retrieve_all(retriever, {"x", "broken", "bad doc"}, 4, kCorpus);
  EXPECT_EQ(out[0].ids, (std::vector<std::string>{"p1"}));
  EXPECT_EQ(out[1].error, "no index for 'broken'");
  EXPECT_EQ(out[2].error, "the retriever returned document 9 of a corpus of 3");
  EXPECT_TRUE(out[2].ids.empty());
}

TEST(BatchCalls, GenerationChecksTheResultCount) {
  ScriptedModel model([](const GenerationRequest&) { return text_result("ok"); });
  std::vector<GenerationRequest> requests(3);
  EXPECT_EQ(generate_all(model, requests, "ircot").size(), 3u);
  EXPECT_TRUE(generate_all(model, {}, "ircot").empty());
  EXPECT_EQ(model.batches.size(), 1u);

  class Short : public ScriptedModel {
   public:
    Short() : ScriptedModel([](const GenerationRequest&) { return text_result(""); }) {}
    std::vector<GenerationResult> generate(const std::vector<GenerationRequest>&) override { return {}; }
  } short_model;
  try {
    generate_all(short_model, requests, "ircot");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "ircot: the model returned 0 results for 3 requests");
  }
  ScriptedModel throwing([](const GenerationRequest&) -> GenerationResult { throw std::runtime_error("CUDA out of memory"); });
  try {
    generate_all(throwing, requests, "selfask");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "selfask: the model failed on a batch of 3 prompts: CUDA out of memory");
  }
}

TEST(BatchCalls, NulBytesInGeneratedTextBecomeReplacementCharacters) {
  ScriptedModel model([](const GenerationRequest&) { return text_result(std::string("a\0b\0", 4)); });
  const auto results = generate_all(model, std::vector<GenerationRequest>(2), "ircot");
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[1].text, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
}

TEST(BatchCalls, GenerationErrorText) {
  GenerationResult result = text_result("fine");
  EXPECT_EQ(generation_error(result), "");
  result.finish_reason = "error";
  result.error = "prompt too long";
  EXPECT_EQ(generation_error(result), "error: model: prompt too long");
  result.error.clear();
  EXPECT_EQ(generation_error(result), "error: model: (the model gave no reason)");
}

}  // namespace
}  // namespace steper::frameworks
