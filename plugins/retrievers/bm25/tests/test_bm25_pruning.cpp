// Pruned search (MaxScore with block max weights) against the exhaustive reference: the same
// documents, the same scores bit for bit and the same order, on random queries over a corpus
// with long posting lists (many blocks), duplicates (ties) and every scoring variant.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "analyzer.hpp"
#include "index_builder.hpp"
#include "posting_cursor.hpp"
#include "searcher.hpp"
#include "tiny_corpus.hpp"

namespace steper::bm25 {
namespace {

// A Zipfian vocabulary of 400 words (a few stop words among the frequent ones), so frequent
// terms span dozens of blocks and rare ones a single posting.
std::vector<std::string> vocabulary() {
  std::vector<std::string> words = {"the", "of", "and", "in", "river", "city", "king", "war", "song", "film"};
  for (int w = 0; words.size() < 400; ++w) words.push_back("w" + std::to_string(w) + (w % 3 ? "x" : "es"));
  return words;
}

class RandomCorpus {
 public:
  explicit RandomCorpus(std::uint64_t seed) : random_(seed), words_(vocabulary()) {
    for (std::size_t w = 0; w < words_.size(); ++w) cumulative_.push_back(total_ += 1.0 / (w + 1.5));
  }

  const std::string& word() {
    const double at = std::uniform_real_distribution<double>(0, total_)(random_);
    return words_[std::upper_bound(cumulative_.begin(), cumulative_.end(), at) - cumulative_.begin()];
  }
  std::string words(int count) {
    std::string text;
    for (int w = 0; w < count; ++w) text += (w ? " " : "") + word();
    return text;
  }

  // 4000 paragraphs; every 40th repeats an earlier one under another id (equal scores), ids
  // are shuffled so their order differs from positions, a few fields are empty.
  Corpus corpus() {
    constexpr int kParagraphs = 4000;
    std::vector<int> ids(kParagraphs);
    std::iota(ids.begin(), ids.end(), 0);
    std::shuffle(ids.begin(), ids.end(), random_);
    std::vector<Paragraph> paragraphs;
    for (int p = 0; p < kParagraphs; ++p) {
      const std::string id = "p" + std::to_string(ids[p]);
      if (p % 40 == 39) {
        const Paragraph& earlier = paragraphs[random_() % paragraphs.size()];
        paragraphs.push_back({id, earlier.title, earlier.text});
        continue;
      }
      const int title_words = p % 97 == 0 ? 0 : 1 + static_cast<int>(random_() % 3);
      const int text_words = p % 89 == 0 ? 0 : 3 + static_cast<int>(random_() % 40);
      paragraphs.push_back({id, words(title_words), words(text_words)});
    }
    return Corpus(std::move(paragraphs));
  }

  // Queries of 0-14 words, with repeats, stop words and unknown words; some one word long,
  // some only stop words.
  std::vector<std::string> queries(int count) {
    std::vector<std::string> queries = {"", "the of and", "river", "river river river", "zebra", "w399x"};
    while (static_cast<int>(queries.size()) < count) {
      std::string query = words(1 + static_cast<int>(random_() % 14));
      if (random_() % 5 == 0) query += " " + query.substr(0, query.find(' '));  // a repeated term
      if (random_() % 7 == 0) query += " unknownword";
      queries.push_back(query);
    }
    return queries;
  }

 private:
  std::mt19937_64 random_;
  std::vector<std::string> words_;
  std::vector<double> cumulative_;
  double total_ = 0;
};

struct Variation {
  const char* name;
  Parameters parameters;
};

std::vector<Variation> variations() {
  std::vector<Variation> out;
  for (const auto& entry : kVariants) {
    Parameters parameters;
    parameters.variant = entry.variant;
    parameters.delta = entry.default_delta;
    out.push_back({entry.name, parameters});
  }
  Parameters pyserini;
  pyserini.k1 = 0.9;
  pyserini.b = 0.4;
  out.push_back({"lucene k1=0.9 b=0.4", pyserini});
  Parameters no_length;
  no_length.b = 0.0;
  no_length.k1 = 0.0;  // every tf weight 1: scores tie all the time
  out.push_back({"lucene k1=0 b=0", no_length});
  return out;
}

TEST(Bm25Pruning, SameHitsScoresAndOrderAsExhaustiveSearch) {
  RandomCorpus random(7);
  const Corpus corpus = random.corpus();
  const std::vector<std::string> queries = random.queries(250);
  EnglishAnalyzer analyzer;
  for (const Variation& variation : variations()) {
    TemporaryFolder folder;
    const IndexIdentity identity{corpus.size(), corpus_hash(corpus), kAnalyzerName, variation.parameters.describe()};
    write_index(folder.path(), identity, build_index(corpus, variation.parameters, 2, {}));
    const Searcher searcher(folder.path(), identity, variation.parameters);
    SearchScratch pruned_scratch, exhaustive_scratch;
    std::size_t compared_hits = 0;
    for (std::size_t q = 0; q < queries.size(); ++q) {
      const std::vector<std::string> terms = analyzer.analyze(queries[q]);
      const std::size_t k = 1 + q % 50;
      const auto expected = searcher.search_exhaustive(terms, k, exhaustive_scratch);
      const auto found = searcher.search(terms, k, pruned_scratch);
      ASSERT_EQ(found.size(), expected.size()) << variation.name << ", query '" << queries[q] << "', k " << k;
      for (std::size_t i = 0; i < found.size(); ++i) {
        ASSERT_EQ(found[i].doc, expected[i].doc) << variation.name << ", query '" << queries[q] << "', k " << k << ", hit " << i;
        ASSERT_EQ(found[i].score, expected[i].score) << variation.name << ", query '" << queries[q] << "', hit " << i;
      }
      compared_hits += found.size();
    }
    EXPECT_GT(compared_hits, 2000u) << variation.name;  // the queries do match things
  }
}

TEST(Bm25Pruning, TiesAtTheKthScoreKeepTheLowerIds) {
  // 300 identical paragraphs: every score ties, so the top k are the k smallest ids.
  std::vector<Paragraph> paragraphs;
  for (int p = 0; p < 300; ++p) paragraphs.push_back({"id" + std::to_string(2000 - p), "Twin", "same words here"});
  const Corpus corpus(std::move(paragraphs));
  TemporaryFolder folder;
  const IndexIdentity identity{corpus.size(), corpus_hash(corpus), kAnalyzerName, Parameters{}.describe()};
  write_index(folder.path(), identity, build_index(corpus, Parameters{}, 1, {}));
  const Searcher searcher(folder.path(), identity, Parameters{});
  SearchScratch scratch;
  const auto hits = searcher.search({"twin", "word"}, 5, scratch);
  ASSERT_EQ(hits.size(), 5u);
  for (std::size_t i = 0; i < hits.size(); ++i) EXPECT_EQ(corpus[hits[i].doc].id, "id" + std::to_string(1701 + i));
}

// One term in every third paragraph of 1000, with tf 1 + doc % 4: 334 postings, 3 blocks.
TEST(Bm25PostingCursor, WalksAndSkipsAcrossBlocks) {
  std::vector<Paragraph> paragraphs;
  for (int p = 0; p < 1000; ++p) {
    std::string text = "filler";
    if (p % 3 == 0)
      for (int t = 0; t <= p % 4; ++t) text += " river";
    paragraphs.push_back({"p" + std::to_string(p), "", text});
  }
  const Corpus corpus(std::move(paragraphs));
  TemporaryFolder folder;
  const IndexIdentity identity{corpus.size(), corpus_hash(corpus), kAnalyzerName, Parameters{}.describe()};
  write_index(folder.path(), identity, build_index(corpus, Parameters{}, 1, {}));
  const FieldIndex text(field_file_path(folder.path(), 1), identity, "text");
  const std::int64_t river = text.find("river");
  ASSERT_GE(river, 0);
  EXPECT_EQ(text.doc_freq(river), 334u);
  EXPECT_EQ(text.blocks(river).count, 3u);

  PostingCursor walk(text, river);
  for (std::uint32_t doc = 0; doc < 1000; doc += 3, walk.next()) {
    ASSERT_EQ(walk.doc(), doc);
    EXPECT_EQ(walk.tf(), 1 + doc % 4);
    EXPECT_EQ(walk.length(), 2 + doc % 4);
  }
  EXPECT_EQ(walk.doc(), PostingCursor::kEnd);

  PostingCursor skip(text, river);
  skip.next_geq(5);
  EXPECT_EQ(skip.doc(), 6u);
  std::uint32_t until = 0;
  EXPECT_GT(skip.block_max_weight(700, until), 0.0f);
  EXPECT_EQ(until, 765u);
  skip.next_geq(700);  // the second block holds docs 384-765
  EXPECT_EQ(skip.doc(), 702u);
  EXPECT_EQ(skip.tf(), 1 + 702u % 4);
  skip.next_geq(702);
  EXPECT_EQ(skip.doc(), 702u);
  skip.next();
  EXPECT_EQ(skip.doc(), 705u);
  skip.next_geq(900);  // the third
  EXPECT_EQ(skip.doc(), 900u);
  EXPECT_EQ(skip.length(), 2 + 900u % 4);
  EXPECT_EQ(skip.block_max_weight(1000, until), 0.0f);
  EXPECT_EQ(until, PostingCursor::kEnd);
  skip.next_geq(1000);
  EXPECT_EQ(skip.doc(), PostingCursor::kEnd);
}

TEST(Bm25MaxWeights, BoundEveryTermScoreOfTheirBlock) {
  RandomCorpus random(11);
  const Corpus corpus = random.corpus();
  for (const Variation& variation : variations()) {
    TemporaryFolder folder;
    const IndexIdentity identity{corpus.size(), corpus_hash(corpus), kAnalyzerName, variation.parameters.describe()};
    write_index(folder.path(), identity, build_index(corpus, variation.parameters, 2, {}));
    const FieldIndex text(field_file_path(folder.path(), 1), identity, "text");
    const double average = text.average_length();
    for (std::uint64_t term = 0; term < text.term_count(); ++term) {
      PostingCursor cursor(text, term);
      float term_max = 0.0f;
      for (std::uint32_t i = 0; i < text.doc_freq(term); ++i, cursor.next()) {
        const double weight = tf_weight(variation.parameters, cursor.tf(),
                                        length_norm(variation.parameters, cursor.length(), average));
        ASSERT_GE(cursor.block_max_weight(), weight) << variation.name << ", term " << term << ", posting " << i;
        term_max = std::max(term_max, cursor.block_max_weight());
      }
      ASSERT_EQ(text.max_weight(term), term_max) << variation.name << ", term " << term;
    }
  }
}

TEST(Bm25Searcher, RefusesParametersOtherThanTheIdentitys) {
  const Corpus corpus = tiny_corpus();
  TemporaryFolder folder;
  const IndexIdentity identity{corpus.size(), corpus_hash(corpus), kAnalyzerName, Parameters{}.describe()};
  write_index(folder.path(), identity, build_index(corpus, Parameters{}, 1, {}));
  Parameters other;
  other.k1 = 2.0;
  try {
    Searcher searcher(folder.path(), identity, other);
    FAIL() << "expected a refusal";
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("parameters 'k1=2 b=0.75"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace steper::bm25
