// BM25 on a generated Wikipedia-like corpus: Zipfian vocabulary (the 33 most frequent words
// are the stop words), titles of 1-3 words, paragraphs of 40-120 words, queries of 8-15 words
// drawn from random paragraphs. Reports indexing paragraphs/s, index bytes per posting, load
// time, and queries/s for top-10 on 1 and 2 threads.
//
//   steper_bm25_bench [--paragraphs=N (100000)] [--queries=N (2000)] [google benchmark flags]
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <memory>
#include <random>
#include <unistd.h>
#include <string>

#include "analyzer.hpp"
#include "index_builder.hpp"
#include "searcher.hpp"

namespace {

using namespace steper::bm25;

std::size_t g_paragraph_count = 100000;
std::size_t g_query_count = 2000;
constexpr std::size_t kVocabularySize = 300000;
constexpr std::size_t kTopK = 10;

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
  std::filesystem::path dir;
  steper::Corpus corpus;
  IndexIdentity identity;
  std::vector<std::string> queries;
  std::unique_ptr<Searcher> searcher;

  World() {
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
    }
    for (std::size_t q = 0; q < g_query_count; ++q) {
      const auto& text = paragraphs[random() % g_paragraph_count].text;
      std::size_t start = text.find(' ', random() % (text.size() / 2)) + 1;
      std::string query;
      for (int w = 0, n = 8 + random() % 8; w < n && start < text.size(); ++w) {
        const std::size_t end = std::min(text.find(' ', start), text.size());
        query += text.substr(start, end - start) + " ";
        start = end + 1;
      }
      queries.push_back(query);
    }
    corpus = steper::Corpus(std::move(paragraphs));
    identity = {corpus.size(), corpus_hash(corpus), kAnalyzerName, Parameters{}.describe()};
    dir = std::filesystem::temp_directory_path() / ("steper_bm25_bench_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
  }
  ~World() { std::filesystem::remove_all(dir); }

  static World& get() {
    static World world;
    return world;
  }
};

void BM_Analyze(benchmark::State& state) {
  World& world = World::get();
  EnglishAnalyzer analyzer;
  std::size_t tokens = 0;
  for (auto _ : state)
    for (const auto& paragraph : world.corpus.paragraphs()) tokens += analyzer.analyze(paragraph.text).size();
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * world.corpus.size()));
  state.counters["tokens"] = static_cast<double>(tokens) / state.iterations();
}
BENCHMARK(BM_Analyze)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_IndexBuild(benchmark::State& state) {
  World& world = World::get();
  for (auto _ : state) {
    write_index(world.dir.string(), world.identity, build_index(world.corpus, static_cast<int>(state.range(0)), {}));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * world.corpus.size()));
  const Searcher searcher(world.dir.string(), world.identity, Parameters{});
  state.counters["postings"] = static_cast<double>(searcher.posting_count());
  state.counters["index_bytes"] = static_cast<double>(searcher.index_bytes());
  state.counters["bytes_per_posting"] = static_cast<double>(searcher.index_bytes()) / searcher.posting_count();
}
BENCHMARK(BM_IndexBuild)->Arg(1)->Arg(2)->ArgName("threads")->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_IndexLoad(benchmark::State& state) {
  World& world = World::get();
  for (auto _ : state) {
    Searcher searcher(world.dir.string(), world.identity, Parameters{});
    benchmark::DoNotOptimize(searcher.document_count());
  }
}
BENCHMARK(BM_IndexLoad)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_SearchTop10(benchmark::State& state) {
  World& world = World::get();
  static std::unique_ptr<Searcher> searcher;
  if (state.thread_index() == 0) searcher = std::make_unique<Searcher>(world.dir.string(), world.identity, Parameters{});
  EnglishAnalyzer analyzer;
  SearchScratch scratch;
  std::size_t q = state.thread_index();
  for (auto _ : state) {
    const auto hits = searcher->search(analyzer.analyze(world.queries[q % world.queries.size()]), kTopK, scratch);
    benchmark::DoNotOptimize(hits.data());
    q += state.threads();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SearchTop10)->Threads(1)->Threads(2)->UseRealTime()->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--paragraphs=", 13) == 0) g_paragraph_count = std::stoul(argv[i] + 13);
    else if (std::strncmp(argv[i], "--queries=", 10) == 0) g_query_count = std::stoul(argv[i] + 10);
    else rest.push_back(argv[i]);
  }
  int rest_count = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_count, rest.data());
  if (benchmark::ReportUnrecognizedArguments(rest_count, rest.data())) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
