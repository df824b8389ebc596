// Encoding and decoding throughput with the Llama 3.1 tokenizer, single-threaded, on the
// parity texts repeated to 4 MB (bench_text.hpp). The counter text_bytes is in decimal bytes per
// second (M/s = MB/s). bench_js_reference.mjs measures the JS reference on the same text.
#include <benchmark/benchmark.h>

#include <memory>

#include "bench_text.hpp"
#include "bpe_tokenizer.hpp"

namespace steper::bpe {
namespace {

struct BenchData {
  Tokenizer tokenizer = Tokenizer::load(STEPER_LLAMA31_TOKENIZER_JSON);
  std::vector<std::string> texts = bench::repeated_texts(bench::parity_texts(STEPER_PARITY_TEXTS));
  std::string text = bench::joined(texts);
  std::vector<std::int32_t> ids = tokenizer.encode(text);
};

const BenchData& data() {
  static const BenchData loaded;
  return loaded;
}

void report(benchmark::State& state, std::size_t bytes, std::size_t tokens) {
  state.counters["text_bytes"] =
      benchmark::Counter(static_cast<double>(bytes), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["tokens"] =
      benchmark::Counter(static_cast<double>(tokens), benchmark::Counter::kIsIterationInvariantRate);
}

// The whole 4 MB as one text.
void BM_EncodeWholeText(benchmark::State& state) {
  const BenchData& d = data();
  std::size_t tokens = 0;
  for (auto _ : state) {
    const std::vector<std::int32_t> ids = d.tokenizer.encode(d.text);
    tokens = ids.size();
    benchmark::DoNotOptimize(ids.data());
  }
  report(state, d.text.size(), tokens);
}

// Each parity text on its own, as a batch of short documents.
void BM_EncodeEachText(benchmark::State& state) {
  const BenchData& d = data();
  std::size_t bytes = 0;
  std::size_t tokens = 0;
  for (const std::string& text : d.texts) bytes += text.size();
  for (auto _ : state) {
    tokens = 0;
    for (const std::string& text : d.texts) tokens += d.tokenizer.encode(text).size();
    benchmark::DoNotOptimize(tokens);
  }
  report(state, bytes, tokens);
}

void BM_DecodeWholeText(benchmark::State& state) {
  const BenchData& d = data();
  for (auto _ : state) {
    const std::string text = d.tokenizer.decode(d.ids);
    benchmark::DoNotOptimize(text.data());
  }
  report(state, d.text.size(), d.ids.size());
}

void BM_LoadLlama31(benchmark::State& state) {
  for (auto _ : state) {
    const Tokenizer tokenizer = Tokenizer::load(STEPER_LLAMA31_TOKENIZER_JSON);
    benchmark::DoNotOptimize(tokenizer.vocab_size());
  }
}

BENCHMARK(BM_EncodeWholeText)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EncodeEachText)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecodeWholeText)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LoadLlama31)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace steper::bpe

BENCHMARK_MAIN();
