// The [pretrain] table and the single-hop questions the pretraining stage reads.
#include <gtest/gtest.h>

#include "config.hpp"
#include "config_test_support.hpp"
#include "pretrain_material.hpp"
#include "pretrain_settings.hpp"

namespace steper {
namespace {

using testing::config_error;
using testing::ExperimentDir;

const std::string kPlugins =
    "[pretrain.world]\nname = \"synthetic\"\nnames = \"pretraining\"\n[pretrain.teacher]\nname = \"oracle\"\n";

PretrainSettings read(const std::string& pretrain_keys, const std::string& plugins = kPlugins) {
  ExperimentDir dir;
  const Cell cell = Experiment::load(dir.write("e.toml", "[pretrain]\n" + pretrain_keys + plugins)).cells().front();
  return PretrainSettings::read(cell.settings("pretrain"));
}

TEST(PretrainSettings, OffByDefaultWithTheDocumentedStream) {
  const PretrainSettings s = read("", "");
  EXPECT_FALSE(s.enabled());
  EXPECT_EQ(s.copy_share_start, 0.7);
  EXPECT_EQ(s.copy_share_end, 0.2);
  EXPECT_EQ(s.loss_on, "all");
  EXPECT_EQ(s.optimisation.batch_size, 16);
  EXPECT_EQ(s.optimisation.schedule, "cosine");
}

TEST(PretrainSettings, ReadsItsKeysAndLeavesThePluginTablesToThePlugins) {
  const PretrainSettings s = read("steps = 300\nlr = 3e-3\ncopy_first = 100\ncopy_share = [0.9, 0.1]\ncopy_words = [2, 40]\n"
                                  "world_every = 2\nloss_on = \"answer\"\ngate_min = 85\nseed = 7\n");
  EXPECT_TRUE(s.enabled());
  EXPECT_EQ(s.optimisation.steps, 300);
  EXPECT_EQ(s.optimisation.lr, 3e-3);
  EXPECT_EQ(s.copy_first, 100);
  EXPECT_EQ(s.copy_share_start, 0.9);
  EXPECT_EQ(s.copy_words_end, 40);
  EXPECT_EQ(s.world_every, 2);
  EXPECT_EQ(s.loss_on, "answer");
  EXPECT_EQ(s.gate_min, 85);
  EXPECT_EQ(s.seed, 7u);
}

TEST(PretrainSettings, RejectsValuesOutOfRangeAtTheirKey) {
  EXPECT_NE(config_error([] { read("steps = 10\ncopy_share = [1.5, 0.2]\n"); }).find("pretrain.copy_share"),
            std::string::npos);
  EXPECT_NE(config_error([] { read("copy_words = [8, 4]\n"); }).find("pretrain.copy_words"), std::string::npos);
  EXPECT_NE(config_error([] { read("steps = 10\ncopy_first = 11\n"); }).find("pretrain.copy_first"), std::string::npos);
  EXPECT_NE(config_error([] { read("lr = nan\n"); }).find("pretrain.lr"), std::string::npos);
  EXPECT_NE(config_error([] { read("loss_on = \"prompt\"\n"); }).find("pretrain.loss_on"), std::string::npos);
  EXPECT_NE(config_error([] { read("gate_min = 101\n"); }).find("pretrain.gate_min"), std::string::npos);
  EXPECT_NE(config_error([] { read("world_every = 0\n"); }).find("pretrain.world_every"), std::string::npos);
}

TEST(PretrainSettings, AnUnknownKeyOrAMissingPluginTableIsAnError) {
  EXPECT_NE(config_error([] { read("stpes = 10\n"); }).find("unknown key 'pretrain.stpes'"), std::string::npos);
  EXPECT_NE(config_error([] { read("steps = 10\n", "[pretrain.world]\nname = \"synthetic\"\n"); }).find("pretrain.teacher"),
            std::string::npos);
  EXPECT_NO_THROW(read("", "[pretrain.world]\nname = \"synthetic\"\n"));  // steps = 0: nothing to draw
}

Question two_hops(const std::string& id, const std::string& first_question) {
  Question q;
  q.id = id;
  q.text = "Where was the director of The Varen Affair born?";
  q.answers = {"Tolholm"};
  q.decomposition = {{first_question, "Tomas Varen", "p1"}, {"Where was Tomas Varen born?", "Tolholm", "p2"}};
  return q;
}

TEST(SingleHopQuestions, OneQuestionPerDistinctHopWithItsParagraph) {
  Question no_paragraph = two_hops("c", "Who directed Skolmark?");
  no_paragraph.decomposition[0].paragraph_id.clear();
  const std::vector<Question> single = single_hop_questions(
      {two_hops("a", "Who directed The Varen Affair?"), two_hops("b", "Who directed The Varen Affair?"), no_paragraph},
      10);
  ASSERT_EQ(single.size(), 2u);
  EXPECT_EQ(single[0].id, "a/hop1");
  EXPECT_EQ(single[0].text, "Who directed The Varen Affair?");
  EXPECT_EQ(single[0].answers, std::vector<std::string>{"Tomas Varen"});
  EXPECT_EQ(single[0].supporting_paragraph_ids, std::vector<std::string>{"p1"});
  EXPECT_EQ(single[0].hops, 1);
  ASSERT_EQ(single[0].decomposition.size(), 1u);
  EXPECT_EQ(single[1].id, "a/hop2");
  EXPECT_EQ(single[1].answers, std::vector<std::string>{"Tolholm"});
  EXPECT_EQ(single_hop_questions({two_hops("a", "Who directed The Varen Affair?")}, 1).size(), 1u);
}

}  // namespace
}  // namespace steper
