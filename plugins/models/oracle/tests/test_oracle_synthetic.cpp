// End to end over a small synthetic world, everything loaded as plugins: ircot (and selfask)
// with the oracle teacher and a word-overlap retriever. With no injected errors a chain
// question is answered right exactly when every hop's supporting paragraph was retrieved by the
// step that writes the hop; comparisons are right whenever they were.
#include <gtest/gtest.h>

#include "framework_test_support.hpp"
#include "steper/dataset.hpp"

namespace steper {
namespace {

using testing::OverlapRetriever;
using testing::PluginMaker;

struct World {
  Corpus corpus;
  std::vector<Question> questions;
};

class OracleOnSyntheticWorld : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dataset = plugins.make<Dataset>("dataset", "synthetic", "entities = 300\ntrain = 80\ndev = 0\ntest = 0\n");
    world.corpus = Corpus(dataset->corpus());
    world.questions = dataset->questions(Split::train);
    retriever.index_build(world.corpus, plugins.scratch.path());
  }

  std::vector<Trajectory> run(const std::string& framework, const std::string& oracle_keys) {
    auto teacher = plugins.make<Model>("teacher", "oracle", oracle_keys);
    frameworks_.push_back(plugins.make<Framework>("framework", framework, ""));
    return frameworks_.back()->run(world.questions, *teacher, retriever, world.corpus);
  }

  PluginMaker plugins;
  World world;
  OverlapRetriever retriever;
  std::vector<std::unique_ptr<Framework>> frameworks_;
};

// Whether hop h's paragraph was among the passages retrieved up to step h + 1, for every hop.
bool evidenced(const Question& question, const Trajectory& trajectory) {
  std::set<std::string> seen;
  for (std::size_t h = 0; h < question.decomposition.size(); ++h) {
    if (h >= trajectory.steps.size()) return false;
    seen.insert(trajectory.steps[h].paragraph_ids.begin(), trajectory.steps[h].paragraph_ids.end());
    if (!seen.count(question.decomposition[h].paragraph_id)) return false;
  }
  return true;
}

// Checks every trajectory against the evidence it saw; returns how many answers are right.
int expect_answers_follow_evidence(const World& world, const std::vector<Trajectory>& trajectories) {
  EXPECT_EQ(trajectories.size(), world.questions.size());
  int right = 0;
  for (std::size_t i = 0; i < trajectories.size() && i < world.questions.size(); ++i) {
    const Question& question = world.questions[i];
    const Trajectory& trajectory = trajectories[i];
    EXPECT_EQ(trajectory.end_reason, "answer") << question.id;
    EXPECT_TRUE(trajectory.answer_found) << question.id;
    const bool correct = trajectory.answer == question.answers.front();
    const bool evidence = evidenced(question, trajectory);
    if (evidence) {
      EXPECT_TRUE(correct) << question.id << " '" << question.text << "' -> " << trajectory.answer;
    }
    if (question.type != "comparison") {
      EXPECT_EQ(correct, evidence) << question.id << " '" << question.text << "'";
    }
    right += correct;
  }
  return right;
}

TEST_F(OracleOnSyntheticWorld, IrcotAnswersFollowTheEvidence) {
  const auto trajectories = run("ircot", "");
  const int right = expect_answers_follow_evidence(world, trajectories);
  // The word-overlap retriever finds some chains, not all (24 of 80 when written): the teacher
  // filter has work to do.
  EXPECT_GT(right, static_cast<int>(world.questions.size()) / 5);
  EXPECT_LT(right, static_cast<int>(world.questions.size()));
  // Kept trajectories cut into samples whose final target ends on the answer sentence.
  for (std::size_t i = 0; i < trajectories.size(); ++i) {
    if (trajectories[i].answer != world.questions[i].answers.front()) continue;
    const auto samples = frameworks_.back()->step_samples(world.questions[i], trajectories[i], world.corpus);
    ASSERT_EQ(samples.size(), trajectories[i].steps.size());
    const std::string end = "So the answer is: " + world.questions[i].answers.front() + ".";
    EXPECT_EQ(samples.back().target.substr(samples.back().target.size() - end.size()), end);
  }
}

TEST_F(OracleOnSyntheticWorld, SelfAskAnswersFollowTheEvidence) {
  const int right = expect_answers_follow_evidence(world, run("selfask", ""));
  // Follow-up questions name the entity they ask about, so they retrieve better (47 of 80).
  EXPECT_GT(right, static_cast<int>(world.questions.size()) / 3);
  EXPECT_LT(right, static_cast<int>(world.questions.size()));
}

TEST_F(OracleOnSyntheticWorld, InjectedErrorsMakeChainsWrong) {
  const auto trajectories = run("ircot", "error_rate = 1\n");
  for (std::size_t i = 0; i < trajectories.size(); ++i) {
    if (world.questions[i].type == "comparison") continue;
    EXPECT_NE(trajectories[i].answer, world.questions[i].answers.front()) << world.questions[i].id;
  }
}

}  // namespace
}  // namespace steper
