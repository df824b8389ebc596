// The plugin through the host's loader: settings validation, build/load, bad queries, batches.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "config.hpp"
#include "plugin_loader.hpp"
#include "run_log.hpp"
#include "steper/retriever.hpp"
#include "tiny_corpus.hpp"

namespace steper {
namespace {

using bm25::TemporaryFolder;
using bm25::tiny_corpus;

class Bm25Plugin : public ::testing::Test {
 protected:
  std::unique_ptr<Retriever> make(const std::string& settings_toml) {
    const auto path = std::filesystem::path(scratch.path()) / "experiment.toml";
    std::ofstream(path) << "[retriever]\nname = \"bm25\"\n" << settings_toml;
    const Cell cell = Experiment::load(path.string()).cells().front();
    Settings settings = cell.settings("retriever");
    return registry.create<Retriever>(settings.require<std::string>("name"), settings, context);
  }
  std::string config_error(const std::string& settings_toml) {
    try {
      make(settings_toml);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "(no error)";
  }

  TemporaryFolder scratch;
  PluginRegistry registry{{STEPER_BM25_PLUGIN_DIR}};
  RunLog log;
  HostContext context{log, 1, "cpu", scratch.path()};
};

TEST_F(Bm25Plugin, RejectsBadSettingsAtTheirKey) {
  EXPECT_NE(config_error("variant = \"bm26\"\n").find("one of lucene, robertson, atire, bm25l, bm25+"), std::string::npos);
  EXPECT_NE(config_error("b = 1.5\n").find("between 0 and 1"), std::string::npos);
  EXPECT_NE(config_error("k1 = -1\n").find(">= 0"), std::string::npos);
  EXPECT_NE(config_error("delta = 0.5\n").find("only variants bm25l and bm25+"), std::string::npos);
  EXPECT_NE(config_error("threads = -2\n").find("a thread count from 0 to 1024"), std::string::npos);
  EXPECT_NE(config_error("threads = 100000\n").find("a thread count from 0 to 1024"), std::string::npos);
  EXPECT_NE(config_error("k = 3\n").find("unknown key 'retriever.k'"), std::string::npos) << config_error("k = 3\n");
  EXPECT_EQ(config_error("variant = \"bm25+\"\ndelta = 0.7\nk1 = 0.9\nb = 0.4\nthreads = 2\n"), "(no error)");
}

TEST_F(Bm25Plugin, BuildsLoadsAndSearches) {
  const Corpus corpus = tiny_corpus();
  TemporaryFolder index;
  auto built = make("");
  built->index_build(corpus, index.path());
  auto loaded = make("threads = 2\n");
  loaded->index_load(corpus, index.path());
  const auto from_built = built->search("Which country borders Spain and France?", 3);
  const auto from_loaded = loaded->search("Which country borders Spain and France?", 3);
  ASSERT_EQ(from_built.size(), 3u);
  ASSERT_EQ(from_loaded.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(from_built[i].doc, from_loaded[i].doc);
    EXPECT_EQ(from_built[i].score, from_loaded[i].score);
  }
  EXPECT_EQ(from_built[0].doc, 1u);
}

TEST_F(Bm25Plugin, RefusesAnIndexBuiltWithOtherSettings) {
  const Corpus corpus = tiny_corpus();
  TemporaryFolder index;
  make("")->index_build(corpus, index.path());
  try {
    make("k1 = 0.9\n")->index_load(corpus, index.path());
    FAIL() << "expected a refused index";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("expected 'k1=0.9 b=0.75"), std::string::npos) << e.what();
  }
}

TEST_F(Bm25Plugin, BadQueriesAndK) {
  const Corpus corpus = tiny_corpus();
  TemporaryFolder index;
  auto retriever = make("");
  EXPECT_THROW(retriever->search("France", 3), std::logic_error);
  retriever->index_build(corpus, index.path());
  EXPECT_TRUE(retriever->search("", 3).empty());
  EXPECT_TRUE(retriever->search("to be or not to be", 3).empty());
  EXPECT_THROW(retriever->search("France", 0), std::invalid_argument);
  EXPECT_THROW(retriever->search_batch({"France"}, -1), std::invalid_argument);
  EXPECT_EQ(retriever->search("France Spain", 1000).size(), 3u);
}

TEST_F(Bm25Plugin, BatchMatchesSingleSearches) {
  const Corpus corpus = tiny_corpus();
  TemporaryFolder index;
  auto retriever = make("threads = 2\n");
  retriever->index_build(corpus, index.path());
  const std::vector<std::string> queries = {"France", "the", "capital city", "Spain country Europe", "Berlin", "Paris"};
  const auto batch = retriever->search_batch(queries, 2);
  ASSERT_EQ(batch.size(), queries.size());
  for (std::size_t q = 0; q < queries.size(); ++q) {
    const auto single = retriever->search(queries[q], 2);
    ASSERT_EQ(batch[q].size(), single.size()) << queries[q];
    for (std::size_t i = 0; i < single.size(); ++i) EXPECT_EQ(batch[q][i].doc, single[i].doc) << queries[q];
  }
}

}  // namespace
}  // namespace steper
