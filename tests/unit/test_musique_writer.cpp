// The MuSiQue JSONL writer: fields, escaping, context paragraphs and support indices.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "musique_writer.hpp"

namespace steper {
namespace {

Corpus small_corpus() {
  std::vector<Paragraph> paragraphs;
  for (int i = 0; i < 30; ++i) paragraphs.push_back({"p" + std::to_string(i), "Title " + std::to_string(i), "Text " + std::to_string(i) + "."});
  paragraphs[7].text = "A \"quoted\" line\nwith a tab\t, a backslash \\ and caf\xc3\xa9.";
  return Corpus(std::move(paragraphs));
}

Question two_hop() {
  Question q;
  q.id = "2hop__q1";
  q.text = "Where was the director of \"X\" born?";
  q.answers = {"Varenholm", "Varen"};
  q.decomposition = {{"Who directed X?", "Ana Borin", "p21"}, {"Where was Ana Borin born?", "Varenholm", "p7"}};
  q.supporting_paragraph_ids = {"p21", "p7"};
  q.hops = 2;
  return q;
}

std::vector<nlohmann::json> parse_lines(const std::string& text) {
  std::vector<nlohmann::json> rows;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) rows.push_back(nlohmann::json::parse(line));
  return rows;
}

TEST(MusiqueWriter, WritesEveryMusiqueFieldWithSupportIndices) {
  const Corpus corpus = small_corpus();
  std::ostringstream out;
  MusiqueWriteOptions options;
  options.context_paragraphs = 6;
  write_musique_jsonl(out, {two_hop()}, corpus, options);
  const auto rows = parse_lines(out.str());
  ASSERT_EQ(rows.size(), 1u);
  const auto& row = rows[0];
  EXPECT_EQ(row["id"], "2hop__q1");
  EXPECT_EQ(row["question"], "Where was the director of \"X\" born?");
  EXPECT_EQ(row["answer"], "Varenholm");
  EXPECT_EQ(row["answer_aliases"], nlohmann::json::array({"Varen"}));
  EXPECT_EQ(row["answerable"], true);
  ASSERT_EQ(row["paragraphs"].size(), 6u);
  int supporting = 0;
  for (std::size_t i = 0; i < row["paragraphs"].size(); ++i) {
    const auto& paragraph = row["paragraphs"][i];
    EXPECT_EQ(paragraph["idx"], i);
    const std::string title = paragraph["title"];
    const bool expected = title == "Title 21" || title == "Title 7";
    EXPECT_EQ(paragraph["is_supporting"], expected) << title;
    supporting += expected;
  }
  EXPECT_EQ(supporting, 2);
  const auto& steps = row["question_decomposition"];
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0]["id"], 1);
  EXPECT_EQ(steps[0]["question"], "Who directed X?");
  EXPECT_EQ(steps[0]["answer"], "Ana Borin");
  EXPECT_EQ(row["paragraphs"][steps[0]["paragraph_support_idx"].get<int>()]["title"], "Title 21");
  EXPECT_EQ(row["paragraphs"][steps[1]["paragraph_support_idx"].get<int>()]["paragraph_text"],
            "A \"quoted\" line\nwith a tab\t, a backslash \\ and caf\xc3\xa9.");
}

TEST(MusiqueWriter, SameContextForTheSameSeedAndAllOfASmallCorpus) {
  const Corpus corpus = small_corpus();
  std::ostringstream first, second, whole;
  write_musique_jsonl(first, {two_hop()}, corpus);
  write_musique_jsonl(second, {two_hop()}, corpus);
  EXPECT_EQ(first.str(), second.str());
  EXPECT_EQ(parse_lines(first.str())[0]["paragraphs"].size(), 20u);
  MusiqueWriteOptions everything;
  everything.context_paragraphs = 100;
  write_musique_jsonl(whole, {two_hop()}, corpus, everything);
  EXPECT_EQ(parse_lines(whole.str())[0]["paragraphs"].size(), 30u);
}

TEST(MusiqueWriter, MissingSupportingParagraphNamesQuestionAndParagraph) {
  Question q = two_hop();
  q.decomposition[1].paragraph_id = "p99";
  std::ostringstream out;
  try {
    write_musique_jsonl(out, {q}, small_corpus());
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "question '2hop__q1': paragraph 'p99' is not in the corpus");
  }
}

TEST(MusiqueWriter, CorpusLinesHoldIdTitleText) {
  std::ostringstream out;
  write_corpus_jsonl(out, small_corpus());
  const auto rows = parse_lines(out.str());
  ASSERT_EQ(rows.size(), 30u);
  EXPECT_EQ(rows[7], (nlohmann::json{{"id", "p7"}, {"title", "Title 7"},
                                     {"text", "A \"quoted\" line\nwith a tab\t, a backslash \\ and caf\xc3\xa9."}}));
}

TEST(MusiqueWriter, UnwritablePathIsNamed) {
  try {
    write_corpus_file("/nonexistent-folder/corpus.jsonl", small_corpus());
    FAIL() << "expected std::runtime_error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot write '/nonexistent-folder/corpus.jsonl'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace steper
