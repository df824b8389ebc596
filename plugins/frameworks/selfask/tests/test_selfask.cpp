// The selfask framework plugin through the host's loader: the Self-Ask format of method.md
// section 7, two batched calls per step, retrieval with follow-ups, passage replace mode,
// stops, errors and step-wise samples.
#include <gtest/gtest.h>

#include "framework_test_support.hpp"

namespace steper {
namespace {

using testing::error_result;
using testing::FixedRetriever;
using testing::heat_corpus;
using testing::heat_question;
using testing::PluginMaker;
using testing::ScriptedModel;
using testing::text_result;

using Strings = std::vector<std::string>;

// Outputs per call: follow-up, intermediate answer, follow-up, intermediate answer, final answer.
const std::map<std::string, Strings> kHeatOutputs = {
    {"q_heat",
     {"Follow up: Who directed Heat?\nIntermediate answer: x", " Heat was directed by Michael Mann.",
      "Follow up: Where was Michael Mann born?", "Michael Mann was born in Chicago.", "So the final answer is: Chicago"}}};

class SelfAsk : public ::testing::Test {
 protected:
  std::unique_ptr<Framework> make(const std::string& keys = "k = 1\n") {
    return plugins.make<Framework>("framework", "selfask", keys);
  }
  std::string config_error(const std::string& keys) { return plugins.config_error<Framework>("framework", "selfask", keys); }

  FixedRetriever heat_retriever() {
    FixedRetriever retriever;
    retriever.hits["Where was the director of Heat born?"] = {{0, 9.0}, {3, 8.0}};
    retriever.hits["was Michael Mann born?"] = {{1, 7.0}, {0, 6.0}};
    return retriever;
  }

  PluginMaker plugins;
  const Corpus corpus = heat_corpus();
};

TEST_F(SelfAsk, PromptsCallsAndTrajectoryFollowMethodMd) {
  const std::vector<Question> questions = {heat_question()};
  ScriptedModel model = ScriptedModel::canned(kHeatOutputs);
  FixedRetriever retriever = heat_retriever();
  const auto trajectories = make()->run(questions, model, retriever, corpus);

  ASSERT_EQ(model.batches.size(), 5u);
  const std::string heat = "Wikipedia Title: Heat\nHeat is a 1995 crime film. It was directed by Michael Mann.\n\n";
  const std::string mann =
      "Wikipedia Title: Michael Mann\nMichael Mann (born 1943) is a director. Michael Mann was born in Chicago.\n\n";
  const std::string head = "Question: Where was the director of Heat born?\nAre follow up questions needed here: Yes.\n";
  const std::string step1 = "Follow up: Who directed Heat?\nIntermediate answer: Heat was directed by Michael Mann.\n";
  const std::string step2 = "Follow up: Where was Michael Mann born?\nIntermediate answer: Michael Mann was born in Chicago.\n";
  EXPECT_EQ(model.batches[0][0].prompt, heat + head);
  EXPECT_EQ(model.batches[1][0].prompt, heat + head + "Follow up: Who directed Heat?\nIntermediate answer:");
  EXPECT_EQ(model.batches[2][0].prompt, heat + head + step1);
  EXPECT_EQ(model.batches[3][0].prompt,
            heat + mann + head + step1 + "Follow up: Where was Michael Mann born?\nIntermediate answer:");
  EXPECT_EQ(model.batches[4][0].prompt, heat + mann + head + step1 + step2);

  EXPECT_EQ(model.batches[0][0].gold.previous, Strings{});
  EXPECT_EQ(model.batches[1][0].gold.previous, Strings{"Follow up: Who directed Heat?"});
  EXPECT_EQ(model.batches[4][0].gold.previous,
            (Strings{"Follow up: Who directed Heat?", "Heat was directed by Michael Mann.",
                     "Follow up: Where was Michael Mann born?", "Michael Mann was born in Chicago."}));
  EXPECT_EQ(model.batches[3][0].gold.passage_ids, (Strings{"p0", "p1"}));
  EXPECT_EQ(model.batches[3][0].gold.framework, "selfask");
  EXPECT_EQ(model.batches[3][0].gold.question, &questions[0]);
  EXPECT_EQ(model.batches[3][0].gold.answer_prefix, "So the final answer is: ");
  EXPECT_EQ(model.batches[3][0].gold.follow_up_prefix, "Follow up: ");
  EXPECT_EQ(model.batches[3][0].stop, (Strings{"\n"}));

  const Trajectory& t = trajectories[0];
  EXPECT_EQ(t.end_reason, "answer");
  EXPECT_TRUE(t.answer_found);
  EXPECT_EQ(t.answer, "Chicago");
  ASSERT_EQ(t.steps.size(), 3u);
  EXPECT_EQ(t.steps[0].query, "Where was the director of Heat born?");
  EXPECT_EQ(t.steps[0].paragraph_ids, (Strings{"p0"}));
  EXPECT_EQ(t.steps[0].generated, "Follow up: Who directed Heat?\nIntermediate answer: Heat was directed by Michael Mann.");
  EXPECT_EQ(t.steps[0].prompt_tokens, model.count_tokens(model.batches[1][0].prompt));
  EXPECT_EQ(t.steps[1].query, "was Michael Mann born?");
  EXPECT_EQ(t.steps[1].paragraph_ids, (Strings{"p1"}));
  EXPECT_EQ(t.steps[1].scores, (std::vector<double>{7.0}));
  EXPECT_EQ(t.steps[2].query, "");
  EXPECT_TRUE(t.steps[2].paragraph_ids.empty());
  EXPECT_EQ(t.steps[2].generated, "So the final answer is: Chicago");
  EXPECT_EQ(retriever.searched, (Strings{"Where was the director of Heat born?", "was Michael Mann born?"}));
}

TEST_F(SelfAsk, ReplaceShowsOnlyTheLastRetrieval) {
  const std::vector<Question> questions = {heat_question()};
  ScriptedModel model = ScriptedModel::canned(kHeatOutputs);
  FixedRetriever retriever = heat_retriever();
  const auto trajectory = make("k = 2\npassage_mode = \"replace\"\n")->run(questions, model, retriever, corpus)[0];
  EXPECT_EQ(model.batches[1][0].gold.passage_ids, (Strings{"p0", "p3"}));
  EXPECT_EQ(model.batches[3][0].gold.passage_ids, (Strings{"p1", "p0"}));
  EXPECT_EQ(model.batches[4][0].gold.passage_ids, (Strings{"p1", "p0"}));
  const auto samples = make("k = 2\npassage_mode = \"replace\"\ntarget = \"new\"\n")->step_samples(questions[0], trajectory, corpus);
  ASSERT_EQ(samples.size(), 3u);
  EXPECT_EQ(samples[2].prompt, model.batches[4][0].prompt);
}

TEST_F(SelfAsk, TwoBatchedCallsPerStep) {
  std::vector<Question> questions(3, heat_question());
  std::map<std::string, Strings> outputs;
  for (int i = 0; i < 3; ++i) {
    questions[i].id = "q" + std::to_string(i);
    Strings script;
    for (int s = 0; s < i; ++s) script.insert(script.end(), {"Follow up: Who?", "Someone."});
    script.push_back("So the final answer is: Chicago");
    outputs[questions[i].id] = script;
  }
  ScriptedModel model = ScriptedModel::canned(outputs);
  FixedRetriever retriever;
  make()->run(questions, model, retriever, corpus);
  // Step 1: next line for 3, intermediate answer for 2; step 2: 2 and 1; step 3: 1 and none.
  std::vector<std::size_t> sizes;
  for (const auto& batch : model.batches) sizes.push_back(batch.size());
  EXPECT_EQ(sizes, (std::vector<std::size_t>{3, 2, 2, 1, 1}));
  EXPECT_EQ(retriever.batch_calls, 2);  // the question at step 1, the follow-ups at step 2
}

TEST_F(SelfAsk, StopsOnStepCapEmptyOutputAndErrors) {
  std::vector<Question> questions(5, heat_question());
  for (int i = 0; i < 5; ++i) questions[i].id = "q" + std::to_string(i);
  ScriptedModel model([](const GenerationRequest& request) {
    const std::string& id = request.gold.question->id;
    const std::size_t call = request.gold.previous.size();
    if (id == "q1" && call == 2) return text_result("");
    if (id == "q2" && call == 1) return text_result("\n");
    if (id == "q3" && call == 2) return error_result("context overflow");
    if (id == "q4" && call == 2) return text_result("Follow up: Broken?");
    return text_result(call % 2 == 0 ? "Follow up: Who directed Heat?" : "Answer " + std::to_string(call) + ".");
  });
  FixedRetriever retriever;
  retriever.fail_on = {"Broken?"};
  const auto trajectories = make("max_steps = 2\n")->run(questions, model, retriever, corpus);
  EXPECT_EQ(trajectories[0].end_reason, "step_cap");
  EXPECT_EQ(trajectories[0].answer, "Answer 3.");
  EXPECT_EQ(trajectories[0].steps.size(), 2u);
  EXPECT_EQ(trajectories[1].end_reason, "empty");
  EXPECT_EQ(trajectories[1].steps.size(), 2u);
  EXPECT_EQ(trajectories[2].end_reason, "empty");
  EXPECT_EQ(trajectories[2].steps[0].generated, "Follow up: Who directed Heat?\nIntermediate answer:");
  EXPECT_EQ(trajectories[3].end_reason, "error: model: context overflow");
  EXPECT_EQ(trajectories[4].end_reason, "error: retriever: no index for 'Broken?'");
  EXPECT_EQ(trajectories[4].steps[1].query, "Broken?");
}

TEST_F(SelfAsk, StepSamplesMatchInferenceText) {
  const std::vector<Question> questions = {heat_question()};
  ScriptedModel model = ScriptedModel::canned(kHeatOutputs);
  FixedRetriever retriever = heat_retriever();
  const auto trajectory = make()->run(questions, model, retriever, corpus)[0];
  const auto fresh = make("k = 1\ntarget = \"new\"\n")->step_samples(questions[0], trajectory, corpus);
  ASSERT_EQ(fresh.size(), 3u);
  // A step's sample continues the prompt of its intermediate-answer call.
  EXPECT_EQ(fresh[0].prompt + "Follow up: Who directed Heat?\nIntermediate answer:", model.batches[1][0].prompt);
  EXPECT_EQ(fresh[1].prompt + "Follow up: Where was Michael Mann born?\nIntermediate answer:", model.batches[3][0].prompt);
  EXPECT_EQ(fresh[2].prompt, model.batches[4][0].prompt);
  EXPECT_EQ(fresh[0].target, "Follow up: Who directed Heat?\nIntermediate answer: Heat was directed by Michael Mann.\n");
  EXPECT_EQ(fresh[2].target, "So the final answer is: Chicago\n");
  const auto cumulative = make()->step_samples(questions[0], trajectory, corpus);
  EXPECT_EQ(cumulative[0].kind, StepKind::first);
  EXPECT_EQ(cumulative[1].kind, StepKind::mid);
  EXPECT_EQ(cumulative[2].kind, StepKind::final);
  EXPECT_EQ(cumulative[2].prompt + cumulative[2].target, model.batches[4][0].prompt + "So the final answer is: Chicago\n");
}

TEST_F(SelfAsk, DemonstrationsNeedFollowUps) {
  plugins.scratch.write("demos.jsonl",
                        R"({"question": "Q?", "passages": [], "steps": [{"follow_up": "F?", "sentence": "S."}], "answer": "A"})"
                        "\n");
  plugins.scratch.write("no_follow_up.jsonl",
                        R"({"question": "Q?", "passages": [], "steps": [{"sentence": "S."}], "answer": "A"})"
                        "\n");
  const std::vector<Question> questions = {heat_question()};
  ScriptedModel model = ScriptedModel::canned(kHeatOutputs);
  FixedRetriever retriever = heat_retriever();
  make("k = 1\ndemonstrations = \"demos.jsonl\"\n")->run(questions, model, retriever, corpus);
  const std::string demo =
      "Question: Q?\nAre follow up questions needed here: Yes.\nFollow up: F?\nIntermediate answer: S.\n"
      "So the final answer is: A\n\n\nWikipedia Title: Heat\n";
  EXPECT_EQ(model.batches[0][0].prompt.substr(0, demo.size()), demo);
  const std::string error = config_error("demonstrations = \"no_follow_up.jsonl\"\n");
  EXPECT_NE(error.find("key 'framework.demonstrations'"), std::string::npos) << error;
  EXPECT_NE(error.find("line 1, steps[0] has none"), std::string::npos) << error;
}

TEST_F(SelfAsk, RejectsBadSettingsAtTheirKey) {
  EXPECT_EQ(config_error("passage_mode = \"replace\"\nk = 2\n"), "(no error)");
  EXPECT_NE(config_error("passage_mode = \"swap\"\n").find("'framework.passage_mode' = \"swap\": expected \"accumulate\" or \"replace\""),
            std::string::npos)
      << config_error("passage_mode = \"swap\"\n");
  EXPECT_NE(config_error("max_steps = 0\n").find("'framework.max_steps'"), std::string::npos);
  EXPECT_NE(config_error("question_template = \"Q\"\n").find("found no {question} placeholder"), std::string::npos);
}

}  // namespace
}  // namespace steper
