// The `bm25` retriever: Elasticsearch-style BM25 over title and text with the `english`
// analyzer, an on-disk memory-mapped index, and exact top-k search with dynamic pruning
// (MaxScore with block max weights; the same hits as exhaustive search).
//
// Settings: k1 (1.2), b (0.75), variant ("lucene"; also robertson, atire, bm25l, bm25+),
// delta (bm25l 0.5, bm25+ 1.0; only for those two), threads (0 = all cores).
#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <memory>
#include <stdexcept>
#include <thread>

#include "analyzer.hpp"
#include "index_builder.hpp"
#include "scoring.hpp"
#include "searcher.hpp"
#include "steper/retriever.hpp"

namespace {

using namespace steper::bm25;
using steper::Corpus;
using steper::RetrievalHit;

Parameters read_parameters(steper::Settings& settings) {
  Parameters p;
  p.k1 = settings.get<double>("k1", p.k1);
  if (!std::isfinite(p.k1) || p.k1 < 0) settings.fail("k1", "a finite number >= 0");
  p.b = settings.get<double>("b", p.b);
  if (!(p.b >= 0 && p.b <= 1)) settings.fail("b", "a number between 0 and 1");
  const auto variant = settings.get<std::string>("variant", to_string(p.variant));
  if (!variant_from_string(variant, p.variant)) settings.fail("variant", "one of " + variant_names());
  p.delta = default_delta(p.variant);
  if (settings.has("delta")) {
    if (!variant_has_delta(p.variant)) settings.fail("delta", "no delta: only variants bm25l and bm25+ take one");
    p.delta = settings.get<double>("delta", p.delta);
    if (!std::isfinite(p.delta) || p.delta < 0) settings.fail("delta", "a finite number >= 0");
  }
  return p;
}

constexpr int kMaxThreads = 1024;  // more than any node has cores; a typo, not a machine

int read_threads(steper::Settings& settings) {
  const int threads = settings.get<int>("threads", 0);
  if (threads < 0 || threads > kMaxThreads)
    settings.fail("threads", "a thread count from 0 to " + std::to_string(kMaxThreads) + " (0: all cores)");
  return threads == 0 ? static_cast<int>(std::max(1u, std::thread::hardware_concurrency())) : threads;
}

class Bm25Retriever : public steper::Retriever {
 public:
  Bm25Retriever(steper::Settings& settings, steper::PluginContext& context)
      : context_(context), parameters_(read_parameters(settings)), threads_(read_threads(settings)) {}

  void index_build(const Corpus& corpus, const std::string& dir) override {
    const IndexIdentity identity = identity_of(corpus);
    {
      auto progress = context_.progress("bm25 indexing paragraphs", corpus.size());
      const BuiltIndex index = build_index(corpus, parameters_, threads_, [&](std::size_t done) { progress->advance(done); });
      write_index(dir, identity, index);
    }
    load(dir, identity);
  }

  void index_load(const Corpus& corpus, const std::string& dir) override { load(dir, identity_of(corpus)); }

  std::vector<RetrievalHit> search(std::string_view query, int k) override {
    check_ready(k);
    return searcher_->search(analyzer_.analyze(query), static_cast<std::size_t>(k), scratch_);
  }

  std::vector<std::vector<RetrievalHit>> search_batch(const std::vector<std::string>& queries, int k) override {
    check_ready(k);
    std::vector<std::vector<RetrievalHit>> results(queries.size());
    std::atomic<std::size_t> next{0};
    std::exception_ptr error;
    std::atomic<bool> failed{false};
    auto work = [&] {
      try {
        EnglishAnalyzer analyzer;
        SearchScratch scratch;
        for (std::size_t q = next++; q < queries.size() && !failed; q = next++)
          results[q] = searcher_->search(analyzer.analyze(queries[q]), static_cast<std::size_t>(k), scratch);
      } catch (...) {
        if (!failed.exchange(true)) error = std::current_exception();
      }
    };
    const std::size_t thread_count = std::min<std::size_t>(threads_, queries.size());
    std::vector<std::thread> workers;
    for (std::size_t t = 1; t < thread_count; ++t) workers.emplace_back(work);
    work();
    for (auto& worker : workers) worker.join();
    if (error) std::rethrow_exception(error);
    return results;
  }

 private:
  IndexIdentity identity_of(const Corpus& corpus) const {
    return {corpus.size(), corpus_hash(corpus), kAnalyzerName, parameters_.describe()};
  }

  void load(const std::string& dir, const IndexIdentity& identity) {
    searcher_ = std::make_unique<Searcher>(dir, identity, parameters_);
    context_.info("bm25: loaded the index in '" + dir + "': " + std::to_string(searcher_->document_count()) +
                  " paragraphs, " + std::to_string(searcher_->posting_count()) + " postings, " +
                  std::to_string(searcher_->index_bytes()) + " bytes");
  }

  void check_ready(int k) const {
    if (k <= 0) throw std::invalid_argument("bm25: k must be at least 1, got " + std::to_string(k));
    if (!searcher_) throw std::logic_error("bm25: search called before index_build or index_load");
  }

  steper::PluginContext& context_;
  Parameters parameters_;
  int threads_;  // for indexing and search_batch
  EnglishAnalyzer analyzer_;  // for search(), which is not thread-safe; search_batch is the parallel entry
  SearchScratch scratch_;
  std::unique_ptr<Searcher> searcher_;
};

}  // namespace

STEPER_PLUGIN(Retriever, "bm25", "2.0.0", Bm25Retriever)  // 2: index format 2 (pruning)
