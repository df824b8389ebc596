// The ircot framework plugin, loaded through the host's loader and run with scripted models and
// fixed retrievers: prompts exactly as method.md section 6, queries, stops, errors, batching,
// step-wise samples, demonstrations and settings.
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

class Ircot : public ::testing::Test {
 protected:
  std::unique_ptr<Framework> make(const std::string& keys = "k = 2\n") {
    return plugins.make<Framework>("framework", "ircot", keys);
  }
  std::string config_error(const std::string& keys) { return plugins.config_error<Framework>("framework", "ircot", keys); }

  // The retriever of the Heat world: each query the framework should send, with its hits.
  FixedRetriever heat_retriever() {
    FixedRetriever retriever;
    retriever.hits["Where was the director of Heat born?"] = {{0, 9.0}, {3, 8.0}, {4, 1.0}};
    retriever.hits["Heat was directed by Michael Mann."] = {{1, 7.0}, {0, 6.5}};
    retriever.hits["Michael Mann was born in Chicago."] = {{1, 7.5}, {2, 5.0}};
    return retriever;
  }

  PluginMaker plugins;
  const Corpus corpus = heat_corpus();
};

const std::map<std::string, Strings> kHeatOutputs = {
    {"q_heat", {"  Heat was directed by Michael Mann. He also made Thief.\nMore.", "Michael Mann was born in Chicago.",
                "So the answer is: Chicago."}}};

TEST_F(Ircot, PromptsQueriesAndTrajectoryFollowMethodMd) {
  const std::vector<Question> questions = {heat_question()};
  ScriptedModel model = ScriptedModel::canned(kHeatOutputs);
  FixedRetriever retriever = heat_retriever();
  const auto trajectories = make()->run(questions, model, retriever, corpus);

  ASSERT_EQ(model.batches.size(), 3u);
  const std::string heat = "Wikipedia Title: Heat\nHeat is a 1995 crime film. It was directed by Michael Mann.\n\n";
  const std::string band = "Wikipedia Title: Heat (band)\nHeat is a band. It was formed in Berlin.\n\n";
  const std::string mann =
      "Wikipedia Title: Michael Mann\nMichael Mann (born 1943) is a director. Michael Mann was born in Chicago.\n\n";
  const std::string chicago = "Wikipedia Title: Chicago\nChicago is a city in Illinois. It lies on Lake Michigan.\n\n";
  const std::string question = "Q: Where was the director of Heat born?\nA:";
  EXPECT_EQ(model.batches[0][0].prompt, heat + band + question);
  EXPECT_EQ(model.batches[1][0].prompt, heat + band + mann + question + " Heat was directed by Michael Mann.");
  EXPECT_EQ(model.batches[2][0].prompt, heat + band + mann + chicago + question +
                                            " Heat was directed by Michael Mann. Michael Mann was born in Chicago.");

  const GenerationRequest& last = model.batches[2][0];
  EXPECT_EQ(last.gold.framework, "ircot");
  EXPECT_EQ(last.gold.question, &questions[0]);
  EXPECT_EQ(last.gold.passage_ids, (Strings{"p0", "p3", "p1", "p2"}));
  EXPECT_EQ(last.gold.previous, (Strings{"Heat was directed by Michael Mann.", "Michael Mann was born in Chicago."}));
  EXPECT_EQ(last.gold.answer_prefix, "So the answer is: ");
  EXPECT_EQ(last.gold.answer_suffix, ".");
  EXPECT_EQ(last.gold.follow_up_prefix, "");
  EXPECT_EQ(last.stop, (Strings{"\n"}));
  EXPECT_EQ(last.max_new_tokens, 64);

  ASSERT_EQ(trajectories.size(), 1u);
  const Trajectory& t = trajectories[0];
  EXPECT_EQ(t.question_id, "q_heat");
  EXPECT_EQ(t.end_reason, "answer");
  EXPECT_TRUE(t.answer_found);
  EXPECT_EQ(t.answer, "Chicago");
  ASSERT_EQ(t.steps.size(), 3u);
  EXPECT_EQ(t.steps[0].query, "Where was the director of Heat born?");
  EXPECT_EQ(t.steps[0].paragraph_ids, (Strings{"p0", "p3"}));
  EXPECT_EQ(t.steps[0].scores, (std::vector<double>{9.0, 8.0}));
  EXPECT_EQ(t.steps[0].generated, "Heat was directed by Michael Mann.");
  EXPECT_EQ(t.steps[0].prompt_tokens, model.count_tokens(model.batches[0][0].prompt));
  EXPECT_EQ(t.steps[1].query, "Heat was directed by Michael Mann.");
  EXPECT_EQ(t.steps[1].paragraph_ids, (Strings{"p1", "p0"}));
  EXPECT_EQ(t.steps[2].query, "Michael Mann was born in Chicago.");
  EXPECT_EQ(t.steps[2].generated, "So the answer is: Chicago.");
}

TEST_F(Ircot, LaterQueriesDropQuestionWordsOrFallBackToTheQuestion) {
  const std::vector<Question> questions = {heat_question()};
  ScriptedModel model = ScriptedModel::canned(
      {{"q_heat", {"Who is the director of Heat?", "Thus the director is Mann.", "So the answer is: Chicago."}}});
  FixedRetriever retriever;
  make()->run(questions, model, retriever, corpus);
  EXPECT_EQ(retriever.searched, (Strings{"Where was the director of Heat born?", "the director of Heat?",
                                         "Where was the director of Heat born?"}));
}

TEST_F(Ircot, StopsOnStepCapAndEmptyOutput) {
  std::vector<Question> questions = {heat_question(), heat_question()};
  questions[1].id = "q_empty";
  ScriptedModel model = ScriptedModel::canned(
      {{"q_heat", {"One.", "Two.", "Three.", "Four."}}, {"q_empty", {"First sentence.", "  \n"}}});
  FixedRetriever retriever = heat_retriever();
  const auto trajectories = make("max_steps = 3\n")->run(questions, model, retriever, corpus);
  EXPECT_EQ(trajectories[0].end_reason, "step_cap");
  EXPECT_EQ(trajectories[0].steps.size(), 3u);
  EXPECT_EQ(trajectories[0].answer, "Three.");
  EXPECT_FALSE(trajectories[0].answer_found);
  EXPECT_EQ(trajectories[1].end_reason, "empty");
  EXPECT_EQ(trajectories[1].steps.size(), 2u);
  EXPECT_EQ(trajectories[1].answer, "");
}

TEST_F(Ircot, ErrorsEndOnlyTheirQuestion) {
  std::vector<Question> questions(4, heat_question());
  for (int i = 0; i < 4; ++i) questions[i].id = "q" + std::to_string(i);
  ScriptedModel model([](const GenerationRequest& request) {
    if (request.gold.question->id == "q1" && request.gold.previous.size() == 1) return error_result("prompt too long");
    if (request.gold.question->id == "q2") return text_result("Broken query.");
    const Strings script = {"Heat was directed by Michael Mann.", "Mann was born in Chicago.", "So the answer is: Chicago."};
    return text_result(script[request.gold.previous.size()]);
  });
  FixedRetriever retriever = heat_retriever();
  retriever.fail_on = {"Broken query."};
  const auto trajectories = make()->run(questions, model, retriever, corpus);
  EXPECT_EQ(trajectories[0].end_reason, "answer");
  EXPECT_EQ(trajectories[0].answer, "Chicago");
  EXPECT_EQ(trajectories[1].end_reason, "error: model: prompt too long");
  EXPECT_EQ(trajectories[1].steps.size(), 2u);
  EXPECT_EQ(trajectories[1].answer, "");
  EXPECT_EQ(trajectories[2].end_reason, "error: retriever: no index for 'Broken query.'");
  EXPECT_EQ(trajectories[2].steps.size(), 2u);
  EXPECT_EQ(trajectories[2].steps[1].query, "Broken query.");
  EXPECT_EQ(trajectories[3].end_reason, "answer");
}

TEST_F(Ircot, AllRunningQuestionsAdvanceTogether) {
  std::vector<Question> questions(3, heat_question());
  std::map<std::string, Strings> outputs;
  for (int i = 0; i < 3; ++i) {
    questions[i].id = "q" + std::to_string(i);
    Strings script(i, "A step.");
    script.push_back("So the answer is: Chicago.");
    outputs[questions[i].id] = script;
  }
  ScriptedModel model = ScriptedModel::canned(outputs);
  FixedRetriever retriever;
  make()->run(questions, model, retriever, corpus);
  ASSERT_EQ(model.batches.size(), 3u);
  EXPECT_EQ(model.batches[0].size(), 3u);
  EXPECT_EQ(model.batches[1].size(), 2u);
  EXPECT_EQ(model.batches[2].size(), 1u);
  EXPECT_EQ(model.batches[2][0].gold.question->id, "q2");
  EXPECT_EQ(retriever.batch_calls, 3);
}

TEST_F(Ircot, CapsAndCutsPassages) {
  const std::vector<Question> questions = {heat_question()};
  ScriptedModel model = ScriptedModel::canned(kHeatOutputs);
  FixedRetriever retriever = heat_retriever();
  make("k = 3\nmax_passages = 3\npassage_words = 4\n")->run(questions, model, retriever, corpus);
  EXPECT_EQ(model.batches[0][0].gold.passage_ids, (Strings{"p0", "p3", "p4"}));
  EXPECT_EQ(model.batches[2][0].gold.passage_ids, (Strings{"p0", "p3", "p4"}));
  EXPECT_EQ(model.batches[0][0].prompt,
            "Wikipedia Title: Heat\nHeat is a 1995\n\nWikipedia Title: Heat (band)\nHeat is a band.\n\n"
            "Wikipedia Title: Manny Ramirez\nManny Ramirez was born\n\nQ: Where was the director of Heat born?\nA:");
}

// The samples' text is exactly what the model saw and wrote at inference.
TEST_F(Ircot, StepSamplesMatchInferenceText) {
  const std::vector<Question> questions = {heat_question()};
  ScriptedModel model = ScriptedModel::canned(kHeatOutputs);
  FixedRetriever retriever = heat_retriever();
  const auto trajectory = make()->run(questions, model, retriever, corpus)[0];

  const auto fresh = make("k = 2\ntarget = \"new\"\n")->step_samples(questions[0], trajectory, corpus);
  ASSERT_EQ(fresh.size(), 3u);
  for (std::size_t s = 0; s < 3; ++s) {
    EXPECT_EQ(fresh[s].prompt, model.batches[s][0].prompt) << s;
    EXPECT_EQ(fresh[s].target, " " + trajectory.steps[s].generated) << s;
  }
  const auto cumulative = make()->step_samples(questions[0], trajectory, corpus);
  ASSERT_EQ(cumulative.size(), 3u);
  EXPECT_EQ(cumulative[0].kind, StepKind::first);
  EXPECT_EQ(cumulative[1].kind, StepKind::mid);
  EXPECT_EQ(cumulative[2].kind, StepKind::final);
  EXPECT_EQ(cumulative[1].prompt + cumulative[1].target, model.batches[1][0].prompt + " " + trajectory.steps[1].generated);
  EXPECT_EQ(cumulative[2].target,
            " Heat was directed by Michael Mann. Michael Mann was born in Chicago. So the answer is: Chicago.");
  EXPECT_EQ(cumulative[2].prompt.substr(cumulative[2].prompt.size() - 3), "\nA:");
}

TEST_F(Ircot, FinalSampleStatesTheChosenAnswer) {
  Trajectory trajectory;
  trajectory.question_id = "q_heat";
  trajectory.steps = {{"Where was the director of Heat born?", {"p1"}, {1.0}, 10, "Mann was born in Chicago, Illinois."},
                      {"Mann was born in Chicago, Illinois.", {"p2"}, {1.0}, 10, "So the answer is: Chicago, Illinois."}};
  trajectory.answer = "Chicago, Illinois";
  trajectory.end_reason = "answer";
  const auto gold = make()->step_samples(heat_question(), trajectory, corpus);
  ASSERT_EQ(gold.size(), 2u);
  EXPECT_EQ(gold[0].kind, StepKind::first);
  EXPECT_EQ(gold[1].target, " Mann was born in Chicago, Illinois. So the answer is: Chicago.");
  const auto teacher = make("final_answer = \"teacher\"\n")->step_samples(heat_question(), trajectory, corpus);
  EXPECT_EQ(teacher[1].target, " Mann was born in Chicago, Illinois. So the answer is: Chicago, Illinois.");
  // One step: only a final sample; an error ending: none.
  trajectory.steps.resize(1);
  const auto single = make()->step_samples(heat_question(), trajectory, corpus);
  ASSERT_EQ(single.size(), 1u);
  EXPECT_EQ(single[0].kind, StepKind::final);
  EXPECT_EQ(single[0].target, " So the answer is: Chicago.");
  trajectory.end_reason = "error: model: x";
  EXPECT_TRUE(make()->step_samples(heat_question(), trajectory, corpus).empty());
}

TEST_F(Ircot, DemonstrationsComeFirst) {
  plugins.scratch.write(
      "demos.jsonl",
      R"({"question": "Who founded the maker of Golf?", "passages": [{"title": "Golf", "text": "Golf is made by VW."}],)"
      R"( "steps": [{"sentence": "Golf is made by VW."}, {"sentence": "VW was founded by the state."}], "answer": "the state"})"
      "\n");
  const std::vector<Question> questions = {heat_question()};
  ScriptedModel model = ScriptedModel::canned(kHeatOutputs);
  FixedRetriever retriever = heat_retriever();
  make("k = 1\ndemonstrations = \"demos.jsonl\"\n")->run(questions, model, retriever, corpus);
  EXPECT_EQ(model.batches[0][0].prompt,
            "Wikipedia Title: Golf\nGolf is made by VW.\n\nQ: Who founded the maker of Golf?\n"
            "A: Golf is made by VW. VW was founded by the state. So the answer is: the state.\n\n\n"
            "Wikipedia Title: Heat\nHeat is a 1995 crime film. It was directed by Michael Mann.\n\n"
            "Q: Where was the director of Heat born?\nA:");
}

TEST_F(Ircot, RejectsBadSettingsAtTheirKey) {
  EXPECT_EQ(config_error("k = 4\nmax_steps = 5\nmax_passages = 15\npassage_words = 0\nmax_new_tokens = 32\n"
                         "target = \"new\"\nfinal_answer = \"teacher\"\n"
                         "passage_template = \"Title: {title}\\n{text}\"\nquestion_template = \"Question: {question}\\nAnswer:\"\n"),
            "(no error)");
  EXPECT_NE(config_error("k = 0\n").find("key 'framework.k' = 0: expected at least 1 passage per step"), std::string::npos)
      << config_error("k = 0\n");
  EXPECT_NE(config_error("max_steps = 0\n").find("'framework.max_steps' = 0: expected at least 1 step"), std::string::npos);
  EXPECT_NE(config_error("max_passages = -1\n").find("'framework.max_passages'"), std::string::npos);
  EXPECT_NE(config_error("passage_words = -5\n").find("expected a word count >= 0"), std::string::npos);
  EXPECT_NE(config_error("max_new_tokens = 0\n").find("'framework.max_new_tokens'"), std::string::npos);
  EXPECT_NE(config_error("target = \"all\"\n").find("expected one of \"cumulative\", \"new\""), std::string::npos);
  EXPECT_NE(config_error("final_answer = \"x\"\n").find("expected one of \"gold\", \"teacher\""), std::string::npos);
  EXPECT_NE(config_error("passage_template = \"{title}\"\n").find("found no {text} placeholder"), std::string::npos);
  EXPECT_NE(config_error("question_template = \"{question} {answer}\"\n").find("found unknown placeholder {answer}"),
            std::string::npos);
  EXPECT_NE(config_error("k = \"four\"\n").find("'framework.k'"), std::string::npos);
  EXPECT_NE(config_error("passage_mode = \"replace\"\n").find("unknown key 'framework.passage_mode'"), std::string::npos);
  const std::string missing = config_error("demonstrations = \"nowhere.jsonl\"\n");
  EXPECT_NE(missing.find("key 'framework.demonstrations'"), std::string::npos) << missing;
  EXPECT_NE(missing.find("cannot read '" + plugins.scratch.path() + "/nowhere.jsonl'"), std::string::npos) << missing;
  plugins.scratch.write("bad.jsonl", "{\"question\": \"q\"}\n");
  const std::string malformed = config_error("demonstrations = \"bad.jsonl\"\n");
  EXPECT_NE(malformed.find("bad.jsonl':1: missing field 'answer'"), std::string::npos) << malformed;
}

}  // namespace
}  // namespace steper
