// BM25 on a generated Wikipedia-like corpus: Zipfian vocabulary (the 33 most frequent words
// are the stop words), titles of 1-3 words, paragraphs of 40-120 words, queries of 8-15 words
// drawn from random paragraphs. Reports indexing paragraphs/s (1 and 2 threads), index bytes
// per posting, load time, and top-10 queries/s on 1 and 2 threads, pruned and exhaustive, each
// beside the published figures it compares with (the label).
//
// The index the load and search benchmarks use is kept in --cache (one folder per corpus size)
// and reused while it still matches the generated corpus, so a 5M run builds it once.
//
//   steper_bm25_bench [--paragraphs=N (1000000)] [--queries=N (2000)] [--cache=DIR]
//                     [google benchmark flags, e.g. --benchmark_filter=Search]
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <random>
#include <string>

#include "analyzer.hpp"
#include "index_builder.hpp"
#include "searcher.hpp"

namespace {

using namespace steper::bm25;

std::size_t g_paragraph_count = 1000000;
std::size_t g_query_count = 2000;
std::string g_cache_dir = STEPER_BM25_BENCH_CACHE;
constexpr std::size_t kVocabularySize = 300000;
constexpr std::size_t kTopK = 10;

// Published single-thread figures on HotpotQA's 5.2M-paragraph corpus (issue 3).
constexpr const char* kIndexingAnchor = "anchor: bm25s 22k paragraphs/s (HotpotQA 5.2M)";
constexpr const char* kSearchAnchor =
    "anchors, 1 thread, HotpotQA 5.2M: PISA 55, bm25s 42, Pyserini 10, Elasticsearch 7 queries/s";

const char* const kStopWords[] = {"the", "of", "and", "in", "a", "to", "is", "was", "by", "for", "on", "as", "at",
                                  "with", "it", "that", "an", "be", "or", "are", "from", "this", "his", "which",
                                  "not", "but", "their", "they", "into", "there", "no", "such", "will"};

std::string make_word(std::size_t rank, std::mt19937_64& random) {
  static const char* const kSyllables[] = {"ka", "lo", "mi", "ran", "te", "vo", "sil", "dor", "ne", "qua", "ber", "in",
                                           "tho", "mar", "gen", "ul", "es", "ti", "ston", "ward", "ly", "ing", "er", "a"};
  if (rank < std::size(kStopWords)) return kStopWords[rank];
  std::string word;
  const int syllables = 1 + static_cast<int>(std::min<std::size_t>(4, 1 + static_cast<std::size_t>(std::log10(rank + 1.0))));
  for (int s = 0; s < syllables; ++s) word += kSyllables[random() % std::size(kSyllables)];
  return word + std::to_string(rank % 7 == 0 ? rank : rank % 3);  // enough distinct words
}

struct World {
  steper::Corpus corpus;
  IndexIdentity identity;
  std::vector<std::vector<std::string>> queries;  // analyzed
  std::string index_dir;                          // the cached index

  World() {
    const auto start = std::chrono::steady_clock::now();
    std::mt19937_64 random(20260501);
    std::vector<std::string> vocabulary;
    for (std::size_t rank = 0; rank < kVocabularySize; ++rank) vocabulary.push_back(make_word(rank, random));
    std::vector<double> cumulative(kVocabularySize);
    double total = 0;
    for (std::size_t rank = 0; rank < kVocabularySize; ++rank) cumulative[rank] = total += 1.0 / (rank + 2.7);
    std::uniform_real_distribution<double> uniform(0, total);
    auto word = [&]() -> const std::string& {
      return vocabulary[std::upper_bound(cumulative.begin(), cumulative.end(), uniform(random)) - cumulative.begin()];
    };
    std::vector<steper::Paragraph> paragraphs(g_paragraph_count);
    for (std::size_t p = 0; p < g_paragraph_count; ++p) {
      auto& paragraph = paragraphs[p];
      paragraph.id = "p" + std::to_string(p);
      for (int w = 0, n = 1 + random() % 3; w < n; ++w) paragraph.title += (w ? " " : "") + vocabulary[33 + random() % 200000];
      for (int w = 0, n = 40 + random() % 81; w < n; ++w) {
        paragraph.text += word();
        paragraph.text += (random() % 12 == 0) ? ". " : " ";
      }
      paragraph.text.shrink_to_fit();  // a third of 5M texts' memory is growth slack otherwise
    }
    EnglishAnalyzer analyzer;
    for (std::size_t q = 0; q < g_query_count; ++q) {
      const auto& text = paragraphs[random() % g_paragraph_count].text;
      std::size_t start_at = text.find(' ', random() % (text.size() / 2)) + 1;
      std::string query;
      for (int w = 0, n = 8 + random() % 8; w < n && start_at < text.size(); ++w) {
        const std::size_t end = std::min(text.find(' ', start_at), text.size());
        query += text.substr(start_at, end - start_at) + " ";
        start_at = end + 1;
      }
      queries.push_back(analyzer.analyze(query));
    }
    corpus = steper::Corpus(std::move(paragraphs));
    identity = {corpus.size(), corpus_hash(corpus), kAnalyzerName, Parameters{}.describe()};
    index_dir = g_cache_dir + "/paragraphs_" + std::to_string(g_paragraph_count);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cerr << "generated " << corpus.size() << " paragraphs and " << queries.size() << " queries in " << seconds
              << " s\n";
  }

  static World& get() {
    static World world;
    return world;
  }

  // The cached index, built first when missing or made for another corpus or format, and
  // searched once with every query, so the timed searches find their postings in memory.
  const Searcher& searcher() {
    std::call_once(searcher_once_, [&] {
      try {
        searcher_ = std::make_unique<Searcher>(index_dir, identity, Parameters{});
      } catch (const std::runtime_error& e) {
        std::cerr << "building the cached index (" << e.what() << ")\n";
        std::filesystem::create_directories(index_dir);
        write_index(index_dir, identity, build_index(corpus, Parameters{}, 2, {}));
        searcher_ = std::make_unique<Searcher>(index_dir, identity, Parameters{});
      }
      SearchScratch scratch;
      for (const auto& terms : queries) searcher_->search(terms, kTopK, scratch);
    });
    return *searcher_;
  }

 private:
  std::once_flag searcher_once_;
  std::unique_ptr<Searcher> searcher_;
};

// A folder under the system's temporary folder, removed on destruction.
struct ScratchFolder {
  std::string path = (std::filesystem::temp_directory_path() / ("steper_bm25_bench_" + std::to_string(::getpid()))).string();
  ScratchFolder() { std::filesystem::create_directories(path); }
  ~ScratchFolder() { std::filesystem::remove_all(path); }
};

void BM_IndexBuild(benchmark::State& state) {
  World& world = World::get();
  ScratchFolder folder;
  for (auto _ : state)
    write_index(folder.path, world.identity, build_index(world.corpus, Parameters{}, static_cast<int>(state.range(0)), {}));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * world.corpus.size()));
  const Searcher searcher(folder.path, world.identity, Parameters{});
  state.counters["postings"] = static_cast<double>(searcher.posting_count());
  state.counters["index_bytes"] = static_cast<double>(searcher.index_bytes());
  state.counters["bytes_per_posting"] = static_cast<double>(searcher.index_bytes()) / searcher.posting_count();
  state.SetLabel(kIndexingAnchor);
}
BENCHMARK(BM_IndexBuild)->Arg(1)->Arg(2)->ArgName("threads")->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

void BM_IndexLoad(benchmark::State& state) {
  World& world = World::get();
  world.searcher();  // builds the cache when needed, outside the timing
  for (auto _ : state) {
    Searcher searcher(world.index_dir, world.identity, Parameters{});
    benchmark::DoNotOptimize(searcher.document_count());
  }
}
BENCHMARK(BM_IndexLoad)->Unit(benchmark::kMillisecond)->UseRealTime();

// Top-10 for every query once per iteration (queries differ a lot in cost, so each figure
// covers all of them), the threads taking every other query; range(0): 1 pruned, 0 exhaustive.
void BM_SearchTop10(benchmark::State& state) {
  World& world = World::get();
  const bool pruned = state.range(0) == 1;
  const Searcher& searcher = world.searcher();  // google benchmark starts the threads after setup
  SearchScratch scratch;
  std::size_t searched = 0;
  for (auto _ : state) {
    for (std::size_t q = state.thread_index(); q < world.queries.size(); q += state.threads()) {
      const auto& terms = world.queries[q];
      const auto hits = pruned ? searcher.search(terms, kTopK, scratch) : searcher.search_exhaustive(terms, kTopK, scratch);
      benchmark::DoNotOptimize(hits.data());
      ++searched;
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(searched));
  state.SetLabel(std::string(pruned ? "pruned (MaxScore); " : "exhaustive; ") + kSearchAnchor);
}
BENCHMARK(BM_SearchTop10)->ArgName("pruned")->Arg(1)->Arg(0)->Threads(1)->Threads(2)->UseRealTime()
    ->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--paragraphs=", 13) == 0) g_paragraph_count = std::stoul(argv[i] + 13);
    else if (std::strncmp(argv[i], "--queries=", 10) == 0) g_query_count = std::stoul(argv[i] + 10);
    else if (std::strncmp(argv[i], "--cache=", 8) == 0) g_cache_dir = argv[i] + 8;
    else rest.push_back(argv[i]);
  }
  int rest_count = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_count, rest.data());
  if (benchmark::ReportUnrecognizedArguments(rest_count, rest.data())) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
