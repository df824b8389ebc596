// Teacher filtering reasons, retrieval recall per step and the per-ability scores on
// hand-made trajectories.
#include <cmath>

#include <gtest/gtest.h>

#include "trajectory_stats.hpp"

namespace steper {
namespace {

// "Where was the director of Glass Orchard born?": hop 1 Ilse Varn (p1), hop 2 Treviso (p2).
Question two_hop() {
  Question q;
  q.id = "q1";
  q.answers = {"Treviso"};
  q.supporting_paragraph_ids = {"p1", "p2"};
  q.decomposition = {{"Who directed Glass Orchard?", "Ilse Varn", "p1"}, {"Where was Ilse Varn born?", "Treviso", "p2"}};
  return q;
}

Corpus corpus() {
  return Corpus({{"p1", "Glass Orchard", "Glass Orchard is a film directed by Ilse Varn."},
                 {"p2", "Ilse Varn", "Ilse Varn was born in Treviso."},
                 {"p3", "Treviso", "Treviso is a city."}});
}

TrajectoryStep step(std::vector<std::string> ids, std::string generated) {
  TrajectoryStep s;
  s.paragraph_ids = std::move(ids);
  s.generated = std::move(generated);
  return s;
}

Trajectory trajectory(std::vector<TrajectoryStep> steps, std::string answer, bool found = true) {
  Trajectory t;
  t.question_id = "q1";
  t.steps = std::move(steps);
  t.answer = std::move(answer);
  t.answer_found = found;
  t.end_reason = found ? "answer" : "step_cap";
  return t;
}

TEST(FilterTrajectory, NamesWhyATrajectoryIsDropped) {
  const Question q = two_hop();
  const Corpus c = corpus();
  const auto good = trajectory({step({"p1"}, "Glass Orchard was directed by Ilse Varn."),
                                step({"p2"}, "Ilse Varn was born in Treviso. So the answer is: Treviso.")},
                               "Treviso");
  EXPECT_EQ(filter_trajectory(good, q, "acc", true, c), FilterOutcome::kept);
  auto error = good;
  error.end_reason = "error: server answered 500";
  EXPECT_EQ(filter_trajectory(error, q, "none", false, c), FilterOutcome::error);
  EXPECT_EQ(filter_trajectory(trajectory(good.steps, "Treviso", false), q, "acc", false, c), FilterOutcome::no_answer);
  EXPECT_EQ(filter_trajectory(trajectory(good.steps, "Rome"), q, "acc", false, c), FilterOutcome::wrong_answer);
  EXPECT_EQ(filter_trajectory(trajectory(good.steps, "in Treviso"), q, "em", false, c), FilterOutcome::wrong_answer);
  EXPECT_EQ(filter_trajectory(trajectory(good.steps, "in Treviso"), q, "acc", false, c), FilterOutcome::kept);
  // Right answer, but the bridge "Ilse Varn" was stated before any retrieved passage had it.
  const auto lucky = trajectory({step({"p3"}, "Glass Orchard was directed by Ilse Varn."),
                                 step({"p2"}, "Ilse Varn was born in Treviso.")},
                                "Treviso");
  EXPECT_EQ(filter_trajectory(lucky, q, "acc", false, c), FilterOutcome::kept);
  EXPECT_EQ(filter_trajectory(lucky, q, "acc", true, c), FilterOutcome::unsupported_bridge);
}

// The names the result file stores in /teacher_trajectories/filter.
TEST(FilterTrajectory, OutcomesHaveStableNames) {
  EXPECT_STREQ(to_string(FilterOutcome::kept), "kept");
  EXPECT_STREQ(to_string(FilterOutcome::error), "error");
  EXPECT_STREQ(to_string(FilterOutcome::no_answer), "no_answer");
  EXPECT_STREQ(to_string(FilterOutcome::wrong_answer), "wrong_answer");
  EXPECT_STREQ(to_string(FilterOutcome::unsupported_bridge), "unsupported_bridge");
}

TEST(RecallPerStep, CountsWhatEarlierStepsRetrievedAndCarriesTheLastValue) {
  std::vector<Question> questions = {two_hop(), two_hop(), Question{}};  // the last has no supporting paragraphs
  const std::vector<Trajectory> trajectories = {
      trajectory({step({"p3", "p1"}, ""), step({"p2"}, "")}, ""),
      trajectory({step({"p3"}, "")}, ""),
      trajectory({step({"p1"}, ""), step({"p2"}, ""), step({"p3"}, "")}, ""),
  };
  const auto recall = recall_per_step(questions, trajectories);
  ASSERT_EQ(recall.size(), 3u);
  EXPECT_DOUBLE_EQ(recall[0], 25.0);  // (1/2 + 0) / 2
  EXPECT_DOUBLE_EQ(recall[1], 50.0);  // (2/2 + 0) / 2
  EXPECT_DOUBLE_EQ(recall[2], 50.0);
  EXPECT_TRUE(recall_per_step({Question{}}, {trajectory({step({"p1"}, "")}, "")}).empty());
}

TEST(AbilityScores, ScoreEachAbilityGivenTheEarlierHops) {
  Question three = two_hop();
  three.answers = {"Italy"};
  three.decomposition.push_back({"Which country is Treviso in?", "Italy", "p3"});
  const std::vector<Question> questions = {three, three, three};
  const std::vector<Trajectory> trajectories = {
      // All hops right, right answer.
      trajectory({step({}, "Directed by Ilse Varn."), step({}, "She was born in Treviso."), step({}, "So the answer is: Italy.")},
                 "Italy"),
      // First hop right, second wrong: counts for expansion (miss), not for aggregation.
      trajectory({step({}, "Directed by Ilse Varn."), step({}, "She was born in Rome.")}, "Italy"),
      // First hop wrong: only initialization counts.
      trajectory({step({}, "Directed by Oren Sallow.")}, "Italy"),
  };
  const auto scores = ability_scores(questions, trajectories);
  EXPECT_NEAR(scores.initialization, 200.0 / 3.0, 1e-9);
  EXPECT_DOUBLE_EQ(scores.expansion, 50.0);
  EXPECT_DOUBLE_EQ(scores.aggregation, 100.0);
  const auto none = ability_scores({Question{}}, {trajectory({}, "")});
  EXPECT_TRUE(std::isnan(none.initialization) && std::isnan(none.expansion) && std::isnan(none.aggregation));
}

TEST(StatesAnswer, MatchesWholeNormalisedWords) {
  EXPECT_TRUE(states_answer("He was born in 1950.", "1950"));
  EXPECT_FALSE(states_answer("He was born in 19505.", "1950"));
  EXPECT_TRUE(states_answer("The Pale Hours, a band.", "the pale hours"));
  EXPECT_FALSE(states_answer("anything", ""));
}

}  // namespace
}  // namespace steper
