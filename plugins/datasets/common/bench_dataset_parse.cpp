// Parse throughput of the dataset readers on generated files of a few tens of MB in each big
// format (HotpotQA's JSON array, MuSiQue's JSONL, a corpus JSONL), beside the anchor: simdjson's
// full DOM parse of the same bytes already in memory. The readers' figures include reading the
// file (from the page cache) and building the questions and corpus. bytes_per_second compares.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include <simdjson.h>

#include "paragraph_ids.hpp"
#include "readers.hpp"

namespace {

using namespace steper::datasets;

constexpr const char* kWords[] = {"the", "river", "album", "was", "released", "in", "by", "film", "director", "born",
                                  "city", "of", "American", "band", "station", "county", "university", "novel",
                                  "football", "club", "season", "village", "district", "written", "known", "and"};

std::string sentence(std::mt19937_64& rng, int words) {
  std::string text;
  for (int i = 0; i < words; ++i) text += std::string(i ? " " : "") + kWords[rng() % std::size(kWords)];
  return text + ".";
}

std::string title(std::mt19937_64& rng) { return "Title " + std::to_string(rng() % 200000); }

std::string bench_path(const char* name) { return (std::filesystem::temp_directory_path() / name).string(); }

// About `megabytes` MB of HotpotQA questions: ten paragraphs of four sentences each.
const std::string& hotpotqa_file(int megabytes) {
  static const std::string path = [&] {
    const std::string file = bench_path("steper_bench_hotpotqa.json");
    std::mt19937_64 rng(1);
    std::ofstream out(file);
    out << "[";
    for (int q = 0; out.tellp() < megabytes * 1000000L; ++q) {
      const std::string gold = title(rng);
      out << (q ? ", " : "") << "{\"_id\": \"q" << q << "\", \"answer\": \"river\", \"question\": \"" << sentence(rng, 12)
          << "\", \"supporting_facts\": [[\"" << gold << "\", 0]], \"context\": [";
      for (int p = 0; p < 10; ++p) {
        out << (p ? ", " : "") << "[\"" << (p == 0 ? gold : title(rng)) << "\", [";
        for (int s = 0; s < 4; ++s) out << (s ? ", " : "") << "\"" << (s ? " " : "") << sentence(rng, 18) << "\"";
        out << "]]";
      }
      out << "], \"type\": \"bridge\", \"level\": \"hard\"}";
    }
    out << "]";
    return file;
  }();
  return path;
}

const std::string& musique_file(int megabytes) {
  static const std::string path = [&] {
    const std::string file = bench_path("steper_bench_musique.jsonl");
    std::mt19937_64 rng(2);
    std::ofstream out(file);
    for (int q = 0; out.tellp() < megabytes * 1000000L; ++q) {
      out << "{\"id\": \"2hop__" << q << "_" << q + 1 << "\", \"paragraphs\": [";
      for (int p = 0; p < 20; ++p)
        out << (p ? ", " : "") << "{\"idx\": " << p << ", \"title\": \"" << title(rng) << "\", \"paragraph_text\": \""
            << sentence(rng, 70) << "\", \"is_supporting\": " << (p < 2 ? "true" : "false") << "}";
      out << "], \"question\": \"" << sentence(rng, 12) << "\", \"question_decomposition\": [{\"id\": 1, \"question\": \""
          << sentence(rng, 6) << "\", \"answer\": \"club\", \"paragraph_support_idx\": 0}, {\"id\": 2, \"question\": \"#1 "
          << sentence(rng, 5) << "\", \"answer\": \"river\", \"paragraph_support_idx\": 1}], \"answer\": \"river\", "
          << "\"answer_aliases\": [\"the river\"], \"answerable\": true}\n";
    }
    return file;
  }();
  return path;
}

const std::string& corpus_file(int megabytes) {
  static const std::string path = [&] {
    const std::string file = bench_path("steper_bench_corpus.jsonl");
    std::mt19937_64 rng(3);
    std::ofstream out(file);
    for (long p = 0; out.tellp() < megabytes * 1000000L; ++p)
      out << "{\"id\": \"" << p << "\", \"title\": \"" << title(rng) << "\", \"text\": \"" << sentence(rng, 40 + rng() % 80)
          << "\"}\n";
    return file;
  }();
  return path;
}

constexpr int kMegabytes = 40;

void set_bytes(benchmark::State& state, const std::string& path) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * std::filesystem::file_size(path)));
}

void BM_HotpotqaReader(benchmark::State& state) {
  const std::string& path = hotpotqa_file(kMegabytes);
  for (auto _ : state) {
    ContextCorpus ids(/*by_title=*/true);
    ReadWarnings warnings;
    benchmark::DoNotOptimize(read_hotpotqa(path, ids, warnings).size());
  }
  set_bytes(state, path);
}

void BM_HotpotqaSimdjsonDom(benchmark::State& state) {
  const std::string& path = hotpotqa_file(kMegabytes);
  simdjson::dom::parser parser;
  const simdjson::padded_string bytes = simdjson::padded_string::load(path);
  for (auto _ : state) {
    simdjson::dom::element root = parser.parse(bytes);
    benchmark::DoNotOptimize(root.is_array());
  }
  set_bytes(state, path);
}

void BM_MusiqueReader(benchmark::State& state) {
  const std::string& path = musique_file(kMegabytes);
  for (auto _ : state) {
    ContextCorpus ids(/*by_title=*/false);
    benchmark::DoNotOptimize(read_musique(path, true, ids).size());
  }
  set_bytes(state, path);
}

void BM_CorpusReader(benchmark::State& state) {
  const std::string& path = corpus_file(kMegabytes);
  for (auto _ : state) benchmark::DoNotOptimize(read_corpus_jsonl(path).size());
  set_bytes(state, path);
}

// The anchor for the JSONL readers: simdjson's DOM parse_many over the whole file.
void jsonl_dom_parse(benchmark::State& state, const std::string& path) {
  simdjson::dom::parser parser;
  const simdjson::padded_string bytes = simdjson::padded_string::load(path);
  for (auto _ : state) {
    std::size_t documents = 0;
    for (auto document : parser.parse_many(bytes, 1 << 20)) documents += document.error() ? 0 : 1;
    benchmark::DoNotOptimize(documents);
  }
  set_bytes(state, path);
}

void BM_MusiqueSimdjsonDom(benchmark::State& state) { jsonl_dom_parse(state, musique_file(kMegabytes)); }
void BM_CorpusSimdjsonDom(benchmark::State& state) { jsonl_dom_parse(state, corpus_file(kMegabytes)); }

BENCHMARK(BM_HotpotqaReader)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_HotpotqaSimdjsonDom)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_MusiqueReader)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_MusiqueSimdjsonDom)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_CorpusReader)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_CorpusSimdjsonDom)->Unit(benchmark::kMillisecond)->MinTime(1.0);

}  // namespace

BENCHMARK_MAIN();
