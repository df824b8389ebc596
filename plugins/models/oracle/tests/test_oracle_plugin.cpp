// The oracle plugin through the host's loader: facts with evidence, guesses without, error
// injection, determinism, both frameworks' formats, stops, errors and settings.
#include <gtest/gtest.h>

#include "answer_format.hpp"
#include "framework_test_support.hpp"
#include "prompt.hpp"

namespace steper {
namespace {

using frameworks::answer_format;
using frameworks::AnswerFormat;
using frameworks::PromptRenderer;
using testing::heat_corpus;
using testing::heat_question;
using testing::PluginMaker;

using Strings = std::vector<std::string>;

class Oracle : public ::testing::Test {
 protected:
  std::unique_ptr<Model> make(const std::string& keys = "") { return plugins.make<Model>("teacher", "oracle", keys); }

  // A request as ircot makes it: passages, question, and the sentences written so far.
  GenerationRequest ircot(const Strings& passage_ids, const Strings& previous, const Question* q = nullptr) const {
    const Question& asked = q ? *q : question;
    const PromptRenderer renderer({"Wikipedia Title: {title}\n{text}", "Q: {question}\nA:"}, 0);
    Strings pieces;
    for (const auto& sentence : previous) pieces.push_back(" " + sentence);
    GenerationRequest request;
    request.prompt = renderer.prompt(passage_ids, corpus, asked.text, pieces);
    request.stop = {"\n"};
    request.gold.question = &asked;
    request.gold.passage_ids = passage_ids;
    request.gold.previous = previous;
    in_format("ircot", request.gold);
    return request;
  }

  GenerationRequest selfask(const Strings& passage_ids, const Strings& previous) const {
    GenerationRequest request = ircot(passage_ids, previous);
    in_format("selfask", request.gold);
    request.gold.follow_up_prefix = "Follow up: ";
    return request;
  }

  // The gold context's format fields as the framework fills them in.
  static void in_format(const char* framework, GoldContext& gold) {
    const AnswerFormat& format = *answer_format(framework);
    gold.framework = framework;
    gold.answer_prefix = format.prefix;
    gold.answer_suffix = format.suffix;
  }

  std::string write(Model& model, const GenerationRequest& request) {
    const auto results = model.generate({request});
    EXPECT_EQ(results.size(), 1u);
    EXPECT_NE(results[0].finish_reason, "error") << results[0].error;
    return results[0].text;
  }

  PluginMaker plugins;
  const Corpus corpus = heat_corpus();
  const Question question = heat_question();
};

TEST_F(Oracle, WithTheGoldParagraphsItWritesTheFactsAndTheRightAnswer) {
  auto oracle = make();
  EXPECT_EQ(write(*oracle, ircot({"p3", "p0"}, {})), "Heat was directed by Michael Mann.");
  EXPECT_EQ(write(*oracle, ircot({"p3", "p0", "p1"}, {"Heat was directed by Michael Mann."})),
            "Michael Mann was born in Chicago.");
  EXPECT_EQ(write(*oracle, ircot({"p3", "p0", "p1"}, {"Heat was directed by Michael Mann.", "Michael Mann was born in Chicago."})),
            "So the answer is: Chicago.");
}

TEST_F(Oracle, WithoutThemItGuessesAndTheAnswerFollowsTheGuess) {
  auto oracle = make();
  const std::string guess = write(*oracle, ircot({"p3", "p4"}, {}));
  EXPECT_EQ(guess, "Heat (band) was formed in Berlin.");
  // The wrong bridge (Berlin) replaces Michael Mann in the next sub-question; nothing fits it
  // but the chain goes on, and its answer is wrong.
  const std::string second = write(*oracle, ircot({"p3", "p4", "p1"}, {guess}));
  EXPECT_EQ(second.find("Chicago"), std::string::npos) << second;
  const std::string answer = write(*oracle, ircot({"p3", "p4", "p1"}, {guess, second}));
  EXPECT_EQ(answer.rfind("So the answer is: ", 0), 0u);
  EXPECT_EQ(answer.find("Chicago"), std::string::npos) << answer;
  // The first hop right, the second without evidence.
  const std::string wrong_city = write(*oracle, ircot({"p0", "p4"}, {"Heat was directed by Michael Mann."}));
  EXPECT_EQ(wrong_city, "Manny Ramirez was born in Santo Domingo.");
  EXPECT_EQ(write(*oracle, ircot({"p0", "p4"}, {"Heat was directed by Michael Mann.", wrong_city})),
            "So the answer is: Santo Domingo.");
}

TEST_F(Oracle, UnknownPolicySaysSoAndGivesUp) {
  auto oracle = make("guess = \"unknown\"\n");
  const std::string sentence = write(*oracle, ircot({"p3"}, {}));
  EXPECT_EQ(sentence, "The passages do not say who directed Heat.");
  EXPECT_EQ(write(*oracle, ircot({"p3", "p0"}, {sentence})), "So the answer is: unknown.");
}

TEST_F(Oracle, ErrorRateOneIsAlwaysWrongAndZeroNever) {
  auto always = make("error_rate = 1.0\n");
  const Strings all = {"p0", "p1", "p2", "p3", "p4"};
  const std::string first = write(*always, ircot(all, {}));
  EXPECT_EQ(first.find("Michael Mann"), std::string::npos) << first;
  const std::string second = write(*always, ircot(all, {first}));
  const std::string answer = write(*always, ircot(all, {first, second}));
  EXPECT_EQ(answer.find("Chicago"), std::string::npos) << answer;

  auto never = make("error_rate = 0\n");
  EXPECT_EQ(write(*never, ircot(all, {})), "Heat was directed by Michael Mann.");

  // Injected mistakes that keep the gold answer pass the answer filter.
  auto kept = make("error_rate = 1.0\nerror_keeps_answer = true\n");
  EXPECT_EQ(write(*kept, ircot(all, {first, second})), "So the answer is: Chicago.");
}

TEST_F(Oracle, IsDeterministic) {
  auto a = make("error_rate = 0.5\n");
  auto b = make("error_rate = 0.5\n");
  const Strings all = {"p0", "p1", "p2", "p3", "p4"};
  for (const Strings& previous : {Strings{}, Strings{"Heat was directed by Michael Mann."}, Strings{"Heat is a band."}}) {
    const auto request = ircot(all, previous);
    EXPECT_EQ(write(*a, request), write(*a, request));
    EXPECT_EQ(write(*a, request), write(*b, request));
  }
}

TEST_F(Oracle, WritesSelfAskFollowUpsIntermediateAnswersAndTheFinalAnswer) {
  auto oracle = make();
  const Strings steps = {"Follow up: Who directed Heat?", "Heat was directed by Michael Mann.",
                         "Follow up: Where was Michael Mann born?", "Michael Mann was born in Chicago."};
  EXPECT_EQ(write(*oracle, selfask({"p0"}, {})), steps[0]);
  EXPECT_EQ(write(*oracle, selfask({"p0"}, {steps.begin(), steps.begin() + 1})), steps[1]);
  EXPECT_EQ(write(*oracle, selfask({"p0"}, {steps.begin(), steps.begin() + 2})), steps[2]);
  EXPECT_EQ(write(*oracle, selfask({"p0", "p1"}, {steps.begin(), steps.begin() + 3})), steps[3]);
  EXPECT_EQ(write(*oracle, selfask({"p0", "p1"}, steps)), "So the final answer is: Chicago");
  // A wrong intermediate answer leads the next follow-up astray.
  EXPECT_EQ(write(*oracle, selfask({"p3"}, {steps[0], "Heat (band) was formed in Berlin."})),
            "Follow up: Where was Berlin born?");
}

TEST_F(Oracle, RespectsStopStringsAndTheTokenLimit) {
  auto oracle = make();
  GenerationRequest request = ircot({"p0"}, {});
  request.stop = {" by", "\n"};
  auto result = oracle->generate({request})[0];
  EXPECT_EQ(result.text, "Heat was directed");
  EXPECT_EQ(result.finish_reason, "stop");
  request.stop.clear();
  request.max_new_tokens = 2;
  result = oracle->generate({request})[0];
  EXPECT_EQ(result.text, "Heat was");
  EXPECT_EQ(result.finish_reason, "length");
  EXPECT_EQ(result.generated_tokens, 2);
  EXPECT_EQ(result.prompt_tokens, oracle->count_tokens(request.prompt));
  EXPECT_EQ(oracle->count_tokens("three small words"), 3);
  EXPECT_EQ(oracle->trainable(), nullptr);
}

TEST_F(Oracle, BadRequestsFailAloneWithAReason) {
  auto oracle = make();
  Question bare = question;
  bare.decomposition.clear();
  GenerationRequest no_format = ircot({"p0"}, {});
  no_format.gold.framework = "react";
  no_format.gold.answer_prefix.clear();
  GenerationRequest no_question = ircot({"p0"}, {});
  no_question.gold.question = nullptr;
  GenerationRequest missing_blocks = ircot({"p0"}, {});
  missing_blocks.gold.passage_ids = {"p0", "p1"};
  const auto results = oracle->generate({no_format, no_question, ircot({"p0"}, {}, &bare), missing_blocks, ircot({"p0"}, {})});
  ASSERT_EQ(results.size(), 5u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(results[i].finish_reason, "error") << i;
  EXPECT_EQ(results[0].error,
            "oracle: the request gives no answer sentence (gold.answer_prefix); the framework 'react' does not fill in its "
            "gold context");
  EXPECT_EQ(results[1].error,
            "oracle: the request names no question; the oracle needs a framework that fills in its gold context (ircot, selfask)");
  EXPECT_EQ(results[2].error,
            "oracle: question 'q_heat' has no gold decomposition; the oracle needs a dataset with one (synthetic, musique, twowiki)");
  EXPECT_NE(results[3].error.find("the prompt shows 1 'Wikipedia Title: ' blocks for the 2 passage ids"), std::string::npos);
  EXPECT_EQ(results[4].text, "Heat was directed by Michael Mann.");
}

TEST_F(Oracle, ComparisonAnswersFollowTheWrittenYears) {
  const Corpus people({{"pa", "Ana Varen", "Ana Varen (born 1950) is a painter. Ana Varen stands 180 cm tall."},
                       {"pb", "Bo Kell", "Bo Kell (born 1960) is a surgeon. Bo Kell has 3 children."}});
  Question compare;
  compare.id = "cmp";
  compare.text = "Who was born first, Ana Varen or Bo Kell?";
  compare.answers = {"Ana Varen"};
  compare.decomposition = {{"When was Ana Varen born?", "1950", "pa"}, {"When was Bo Kell born?", "1960", "pb"}};
  const PromptRenderer renderer({"Wikipedia Title: {title}\n{text}", "Q: {question}\nA:"}, 0);
  const auto request = [&](const Strings& previous) {
    GenerationRequest r;
    Strings pieces;
    for (const auto& sentence : previous) pieces.push_back(" " + sentence);
    r.prompt = renderer.prompt({"pa", "pb"}, people, compare.text, pieces);
    r.gold.question = &compare;
    r.gold.passage_ids = {"pa", "pb"};
    r.gold.previous = previous;
    in_format("ircot", r.gold);
    return r;
  };
  auto right = make();
  const std::string a = write(*right, request({}));
  const std::string b = write(*right, request({a}));
  EXPECT_EQ(a, "Ana Varen (born 1950) is a painter.");
  EXPECT_EQ(b, "Bo Kell (born 1960) is a surgeon.");
  EXPECT_EQ(write(*right, request({a, b})), "So the answer is: Ana Varen.");
  auto wrong = make("error_rate = 1\n");
  const std::string wa = write(*wrong, request({}));
  const std::string wb = write(*wrong, request({wa}));
  EXPECT_EQ(wa, "Ana Varen stands 180 cm tall.");
  EXPECT_EQ(wb, "Bo Kell has 3 children.");
  EXPECT_EQ(write(*wrong, request({wa, wb})), "So the answer is: Bo Kell.");
}

TEST_F(Oracle, RejectsBadSettingsAtTheirKey) {
  const auto error = [&](const std::string& keys) { return plugins.config_error<Model>("teacher", "oracle", keys); };
  EXPECT_EQ(error("guess = \"unknown\"\nerror_rate = 0.25\nerror_keeps_answer = true\n"), "(no error)");
  EXPECT_NE(error("guess = \"maybe\"\n").find("key 'teacher.guess' = \"maybe\": expected \"retrieved\" or \"unknown\""),
            std::string::npos)
      << error("guess = \"maybe\"\n");
  EXPECT_NE(error("error_rate = 1.5\n").find("'teacher.error_rate' = 1.5: expected a probability from 0 to 1"), std::string::npos);
  EXPECT_NE(error("error_rate = -0.1\n").find("'teacher.error_rate'"), std::string::npos);
  EXPECT_NE(error("rate = 0.1\n").find("unknown key 'teacher.rate'"), std::string::npos);
}

}  // namespace
}  // namespace steper
