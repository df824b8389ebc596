// The cut a request applies to a recorded output: stop strings first, then words as tokens.
#include <gtest/gtest.h>

#include "replayed_text.hpp"

namespace steper::replay {
namespace {

GenerationRequest request(std::vector<std::string> stop, int max_new_tokens) {
  GenerationRequest r;
  r.prompt = "Q: Where is Paris?\nA:";
  r.stop = std::move(stop);
  r.max_new_tokens = max_new_tokens;
  return r;
}

TEST(ReplayedText, ReturnsTheWholeOutputWhenNothingCutsIt) {
  const GenerationResult r = replayed_text(" Paris is in France.", request({"\n"}, 64));
  EXPECT_EQ(r.text, " Paris is in France.");
  EXPECT_EQ(r.finish_reason, "eos");
  EXPECT_EQ(r.generated_tokens, 4);
  EXPECT_EQ(r.prompt_tokens, 5);
  EXPECT_EQ(r.error, "");
}

TEST(ReplayedText, CutsAtTheEarliestStopString) {
  const GenerationResult r = replayed_text("Paris is in France.\nQ: next", request({"Q:", "", "\n"}, 64));
  EXPECT_EQ(r.text, "Paris is in France.");
  EXPECT_EQ(r.finish_reason, "stop");
  EXPECT_EQ(r.generated_tokens, 4);
}

TEST(ReplayedText, CutsAtMaxNewTokensWords) {
  const GenerationResult r = replayed_text(" Paris is  in France.", request({}, 2));
  EXPECT_EQ(r.text, " Paris is");
  EXPECT_EQ(r.finish_reason, "length");
  EXPECT_EQ(r.generated_tokens, 2);
  EXPECT_EQ(replayed_text("Paris is", request({}, 2)).finish_reason, "eos");
  const GenerationResult none = replayed_text("Paris", request({}, 0));
  EXPECT_EQ(none.text, "");
  EXPECT_EQ(none.finish_reason, "length");
}

TEST(ReplayedText, LengthWinsWhenTheTextBeforeTheStopIsStillTooLong) {
  const GenerationResult r = replayed_text("a b c d\ne", request({"\n"}, 3));
  EXPECT_EQ(r.text, "a b c");
  EXPECT_EQ(r.finish_reason, "length");
}

}  // namespace
}  // namespace steper::replay
