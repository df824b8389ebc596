// The index files: round trip, and refusal of files built for other settings or corpora, or damaged.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "analyzer.hpp"
#include "index_builder.hpp"
#include "searcher.hpp"
#include "tiny_corpus.hpp"

namespace steper::bm25 {
namespace {

IndexIdentity identity_of(const Corpus& corpus, const Parameters& parameters = {}) {
  return {corpus.size(), corpus_hash(corpus), kAnalyzerName, parameters.describe()};
}

// The message of the error that loading `dir` for `identity` raises.
std::string load_error(const std::string& dir, const IndexIdentity& identity, const Parameters& parameters = {}) {
  try {
    Searcher searcher(dir, identity, parameters);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(no error)";
}

class Bm25Index : public ::testing::Test {
 protected:
  void SetUp() override { write_index(folder.path(), identity_of(corpus), build_index(corpus, Parameters{}, 2, {})); }
  std::string text_file() const { return field_file_path(folder.path(), 1); }
  TemporaryFolder folder;
  Corpus corpus = tiny_corpus();
};

TEST_F(Bm25Index, RoundTripKeepsStatisticsAndPostings) {
  const Searcher searcher(folder.path(), identity_of(corpus), Parameters{});
  EXPECT_EQ(searcher.document_count(), 4u);
  // Titles: 4 terms in 4 documents. Texts: pari capit franc | franc countri europ border spain | spain countri | berlin citi.
  EXPECT_EQ(searcher.posting_count(), 4u + 12u);
  EnglishAnalyzer analyzer;
  SearchScratch scratch;
  const auto hits = searcher.search(analyzer.analyze("France Spain country"), 10, scratch);
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[0].doc, 1u);
}

TEST(Bm25IndexThreads, TwoThreadsBuildTheSameFilesAsOne) {
  // Large enough that the build splits it (it gives each thread at least 1024 paragraphs).
  std::vector<Paragraph> paragraphs;
  const char* const words[] = {"river", "city", "king", "war", "song", "film", "born", "capital", "the", "of"};
  for (int p = 0; p < 3000; ++p) {
    std::string text;
    for (int w = 0; w < 12; ++w) text += std::string(words[(p * 7 + w * w) % 10]) + (w % 3 ? " " : "s ");
    paragraphs.push_back({"doc" + std::to_string(p), words[p % 8], text});
  }
  const Corpus corpus(std::move(paragraphs));
  TemporaryFolder one, two;
  write_index(one.path(), identity_of(corpus), build_index(corpus, Parameters{}, 1, {}));
  write_index(two.path(), identity_of(corpus), build_index(corpus, Parameters{}, 2, {}));
  auto bytes = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  for (int field = 0; field < kFieldCount; ++field)
    EXPECT_EQ(bytes(field_file_path(one.path(), field)), bytes(field_file_path(two.path(), field)));
  EXPECT_EQ(bytes(documents_file_path(one.path())), bytes(documents_file_path(two.path())));
  const Searcher searcher(two.path(), identity_of(corpus), Parameters{});
  EXPECT_EQ(searcher.document_count(), 3000u);
}

TEST_F(Bm25Index, RefusesOtherParameters) {
  Parameters pyserini;
  pyserini.k1 = 0.9;
  pyserini.b = 0.4;
  const std::string message = load_error(folder.path(), identity_of(corpus, pyserini), pyserini);
  EXPECT_NE(message.find("documents.bm25' holds parameters 'k1=1.2 b=0.75 variant=lucene delta=0', expected "
                         "'k1=0.9 b=0.4 variant=lucene delta=0'"),
            std::string::npos)
      << message;
}

TEST_F(Bm25Index, RefusesAnotherCorpus) {
  std::vector<Paragraph> paragraphs = corpus.paragraphs();
  paragraphs[3].text = "Berlin is a large city.";
  EXPECT_NE(load_error(folder.path(), identity_of(Corpus(paragraphs))).find("corpus hash differs"), std::string::npos);
  paragraphs.pop_back();
  EXPECT_NE(load_error(folder.path(), identity_of(Corpus(paragraphs))).find("indexes 4 paragraphs, but the corpus has 3"),
            std::string::npos);
}

TEST_F(Bm25Index, RefusesATruncatedFile) {
  std::filesystem::resize_file(text_file(), std::filesystem::file_size(text_file()) - 5);
  const std::string message = load_error(folder.path(), identity_of(corpus));
  EXPECT_NE(message.find("text.bm25' is truncated"), std::string::npos) << message;
  std::filesystem::resize_file(text_file(), 100);
  EXPECT_NE(load_error(folder.path(), identity_of(corpus)).find("shorter than its 232-byte header"), std::string::npos);
}

TEST_F(Bm25Index, RefusesACorruptFile) {
  {
    std::fstream file(text_file(), std::ios::in | std::ios::out | std::ios::binary);
    file.seekg(-3, std::ios::end);
    const char byte = static_cast<char>(file.get() ^ 0x01);
    file.seekp(-3, std::ios::end);
    file.put(byte);
  }
  const std::string message = load_error(folder.path(), identity_of(corpus));
  EXPECT_NE(message.find("text.bm25' is corrupt (checksum mismatch)"), std::string::npos) << message;
}

TEST_F(Bm25Index, RefusesBlocksThatDoNotMatchTheDocFreqs) {
  BuiltIndex index = build_index(corpus, Parameters{}, 1, {});
  index.fields[1].doc_freqs[0] = 200;  // two blocks' worth, where the file has one
  write_field_file(text_file(), identity_of(corpus), "text", index.fields[1]);
  const std::string message = load_error(folder.path(), identity_of(corpus));
  EXPECT_NE(message.find("text.bm25' is malformed: term 0 has 1 blocks for 200 postings"), std::string::npos) << message;
}

// Files whose checksum was recomputed after an offset or a posting was changed: the checksum
// passes, the offsets and postings must not.
TEST_F(Bm25Index, RefusesOffsetsOutsideTheirSectionsEvenWithAGoodChecksum) {
  BuiltIndex index = build_index(corpus, Parameters{}, 1, {});
  index.fields[1].block_offsets[0] = 1u << 30;
  write_field_file(text_file(), identity_of(corpus), "text", index.fields[1]);
  EXPECT_NE(load_error(folder.path(), identity_of(corpus)).find("is malformed: term 0 has block 0 outside its postings"),
            std::string::npos);

  index = build_index(corpus, Parameters{}, 1, {});
  index.fields[1].block_last_docs[0] = static_cast<std::uint32_t>(corpus.size());  // a paragraph past the corpus
  write_field_file(text_file(), identity_of(corpus), "text", index.fields[1]);
  EXPECT_NE(load_error(folder.path(), identity_of(corpus)).find("outside its postings or its paragraphs"),
            std::string::npos);

  index = build_index(corpus, Parameters{}, 1, {});
  std::swap(index.fields[1].posting_offsets[1], index.fields[1].posting_offsets[2]);
  write_field_file(text_file(), identity_of(corpus), "text", index.fields[1]);
  EXPECT_NE(load_error(folder.path(), identity_of(corpus)).find("has offsets that decrease"), std::string::npos);

  index = build_index(corpus, Parameters{}, 1, {});
  index.fields[1].postings[0] = 0x7F;  // the first posting of term 0 names paragraph 127
  write_field_file(text_file(), identity_of(corpus), "text", index.fields[1]);
  EXPECT_NE(load_error(folder.path(), identity_of(corpus)).find("term 0 has posting 0 naming paragraph 127 of 4"),
            std::string::npos)
      << load_error(folder.path(), identity_of(corpus));

  index = build_index(corpus, Parameters{}, 1, {});
  index.fields[1].postings.back() = static_cast<char>(0x80);  // the last varint never ends
  write_field_file(text_file(), identity_of(corpus), "text", index.fields[1]);
  EXPECT_NE(load_error(folder.path(), identity_of(corpus)).find("cut short or overlong"), std::string::npos)
      << load_error(folder.path(), identity_of(corpus));
}

TEST_F(Bm25Index, RefusesAFileThatIsNotAnIndexOrMissing) {
  std::ofstream(text_file(), std::ios::trunc) << std::string(400, 'x');
  EXPECT_NE(load_error(folder.path(), identity_of(corpus)).find("is not a bm25 index"), std::string::npos);
  std::filesystem::remove(text_file());
  EXPECT_NE(load_error(folder.path(), identity_of(corpus)).find("cannot open the index file"), std::string::npos);
}

}  // namespace
}  // namespace steper::bm25

namespace steper::bm25 {
namespace {

TEST(Bm25EmptyIndex, AnEmptyCorpusBuildsLoadsAndMatchesNothing) {
  const Corpus empty;
  TemporaryFolder folder;
  write_index(folder.path(), identity_of(empty), build_index(empty, Parameters{}, 2, {}));
  const Searcher searcher(folder.path(), identity_of(empty), Parameters{});
  SearchScratch scratch;
  EXPECT_TRUE(searcher.search({"franc"}, 10, scratch).empty());
}

}  // namespace
}  // namespace steper::bm25
