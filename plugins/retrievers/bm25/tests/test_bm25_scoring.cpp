// Scores on the tiny corpus against values computed by hand from the formulas in scoring.hpp.
#include <gtest/gtest.h>

#include <cmath>

#include "analyzer.hpp"
#include "index_builder.hpp"
#include "searcher.hpp"
#include "tiny_corpus.hpp"

namespace steper::bm25 {
namespace {

std::vector<RetrievalHit> search_tiny(const Parameters& parameters, const std::string& query, std::size_t k,
                                      const Corpus& corpus = tiny_corpus()) {
  TemporaryFolder folder;
  const IndexIdentity identity{corpus.size(), corpus_hash(corpus), kAnalyzerName, parameters.describe()};
  write_index(folder.path(), identity, build_index(corpus, parameters, 2, {}));
  const Searcher searcher(folder.path(), identity, parameters);
  EnglishAnalyzer analyzer;
  SearchScratch scratch;
  return searcher.search(analyzer.analyze(query), k, scratch);
}

Parameters with_variant(Variant variant) {
  Parameters parameters;
  parameters.variant = variant;
  parameters.delta = default_delta(variant);
  return parameters;
}

// Text field length norms for k1 = 1.2, b = 0.75, avgdl = 13/4.
const double kNormDl6 = 0.25 + 0.75 * 6 / 3.25;
const double kNormDl3 = 0.25 + 0.75 * 3 / 3.25;
const double kNormDl2 = 0.25 + 0.75 * 2 / 3.25;

TEST(Bm25Scoring, LuceneSumsTitleAndTextScores) {
  const auto hits = search_tiny(Parameters{}, "France", 10);
  ASSERT_EQ(hits.size(), 2u);
  // Title: df 1 of 4, tf 1, dl = avgdl = 1. Text: df 2 of 4; p1 has tf 2 in 6 tokens, p0 tf 1 in 3.
  const double title_p1 = std::log(1 + 3.5 / 1.5) * (1 * 2.2) / (1 + 1.2 * 1.0);
  const double text_p1 = std::log(1 + 2.5 / 2.5) * (2 * 2.2) / (2 + 1.2 * kNormDl6);
  const double text_p0 = std::log(2.0) * (1 * 2.2) / (1 + 1.2 * kNormDl3);
  EXPECT_EQ(hits[0].doc, 1u);
  EXPECT_NEAR(hits[0].score, title_p1 + text_p1, 1e-12);
  EXPECT_EQ(hits[1].doc, 0u);
  EXPECT_NEAR(hits[1].score, text_p0, 1e-12);
}

TEST(Bm25Scoring, RepeatedQueryTermsCountEachTime) {
  const auto once = search_tiny(Parameters{}, "Berlin", 1);
  const auto twice = search_tiny(Parameters{}, "Berlin berlin's", 1);
  ASSERT_EQ(once.size(), 1u);
  ASSERT_EQ(twice.size(), 1u);
  EXPECT_NEAR(twice[0].score, 2 * once[0].score, 1e-12);
}

TEST(Bm25Scoring, KAndBAreUsed) {
  Parameters pyserini;
  pyserini.k1 = 0.9;
  pyserini.b = 0.4;
  const auto hits = search_tiny(pyserini, "country", 10);
  ASSERT_EQ(hits.size(), 2u);
  const double idf = std::log(2.0);
  auto text = [&](double dl) { return idf * 1.9 / (1 + 0.9 * (0.6 + 0.4 * dl / 3.25)); };
  EXPECT_EQ(hits[0].doc, 2u);
  EXPECT_NEAR(hits[0].score, text(2), 1e-12);
  EXPECT_NEAR(hits[1].score, text(6), 1e-12);
}

// "spain": title df 1 (p2); text df 2 (p1: tf 1, dl 6; p2: tf 1, dl 2).
TEST(Bm25Scoring, RobertsonClipsNegativeIdfAndKeepsZeroScoredMatches) {
  const auto hits = search_tiny(with_variant(Variant::robertson), "spain", 10);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].doc, 2u);
  EXPECT_NEAR(hits[0].score, std::log(3.5 / 1.5) * 1 / (1 + 1.2), 1e-12);  // text idf ln(max(1, 1)) = 0
  EXPECT_EQ(hits[1].doc, 1u);
  EXPECT_EQ(hits[1].score, 0.0);
}

TEST(Bm25Scoring, Atire) {
  const auto hits = search_tiny(with_variant(Variant::atire), "spain", 10);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_NEAR(hits[0].score, std::log(4.0) * 1 + std::log(2.0) * 2.2 / (1 + 1.2 * kNormDl2), 1e-12);
  EXPECT_NEAR(hits[1].score, std::log(2.0) * 2.2 / (1 + 1.2 * kNormDl6), 1e-12);
}

TEST(Bm25Scoring, Bm25L) {
  const auto hits = search_tiny(with_variant(Variant::bm25l), "spain", 10);
  auto tf = [](double c) { return 2.2 * (c + 0.5) / (1.2 + c + 0.5); };
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_NEAR(hits[0].score, std::log(5 / 1.5) * tf(1) + std::log(5 / 2.5) * tf(1 / kNormDl2), 1e-12);
  EXPECT_NEAR(hits[1].score, std::log(5 / 2.5) * tf(1 / kNormDl6), 1e-12);
}

TEST(Bm25Scoring, Bm25PlusWithCustomDelta) {
  Parameters parameters = with_variant(Variant::bm25plus);
  parameters.delta = 0.25;
  const auto hits = search_tiny(parameters, "spain", 10);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_NEAR(hits[0].score, std::log(5.0) * (1 + 0.25) + std::log(2.5) * (2.2 / (1 + 1.2 * kNormDl2) + 0.25), 1e-12);
  EXPECT_NEAR(hits[1].score, std::log(2.5) * (2.2 / (1 + 1.2 * kNormDl6) + 0.25), 1e-12);
}

TEST(Bm25Scoring, TiesGoToTheLowerParagraphIdNotPosition) {
  const Corpus twins({{"z9", "Twin", "same words here"}, {"a1", "Twin", "same words here"}, {"m5", "Twin", "same words here"}});
  const auto hits = search_tiny(Parameters{}, "twin words", 3, twins);
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[0].doc, 1u);
  EXPECT_EQ(hits[1].doc, 2u);
  EXPECT_EQ(hits[2].doc, 0u);
  EXPECT_EQ(hits[0].score, hits[2].score);
}

TEST(Bm25Scoring, TopKKeepsTheBestAndLargeKReturnsAllMatches) {
  const auto all = search_tiny(Parameters{}, "country capital city", 100);
  ASSERT_EQ(all.size(), 4u);
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_GE(all[i - 1].score, all[i].score);
  const auto top2 = search_tiny(Parameters{}, "country capital city", 2);
  ASSERT_EQ(top2.size(), 2u);
  EXPECT_EQ(top2[0].doc, all[0].doc);
  EXPECT_EQ(top2[1].doc, all[1].doc);
}

TEST(Bm25Scoring, UnknownAndStopWordQueriesMatchNothing) {
  EXPECT_TRUE(search_tiny(Parameters{}, "zebra", 5).empty());
  EXPECT_TRUE(search_tiny(Parameters{}, "the of and", 5).empty());
  EXPECT_TRUE(search_tiny(Parameters{}, "", 5).empty());
}

}  // namespace
}  // namespace steper::bm25
