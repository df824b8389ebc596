// Reading a replay file (trajectories/s, bytes/s) and cutting recorded outputs for requests
// (requests/s). The file is written to the temporary folder at start.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "replay_file.hpp"
#include "replayed_text.hpp"

namespace {

using steper::replay::ReplayFile;

constexpr const char* kOutput = "The Glass Orchard was directed by Ilse Varn, who was born in Treviso in 1931.";

std::string write_file(int trajectories) {
  const auto path = std::filesystem::temp_directory_path() / ("steper_replay_bench_" + std::to_string(trajectories) + ".jsonl");
  std::ofstream out(path);
  for (int i = 0; i < trajectories; ++i)
    out << R"({"question_id": "q)" << i << R"(", "framework": "ircot", "question": "Where was the director of film )"
        << i << R"( born?", "outputs": [")" << kOutput << R"(", ")" << kOutput << R"(", "So the answer is: Treviso."]})"
        << "\n";
  return path.string();
}

void BM_ReadReplayFile(benchmark::State& state) {
  const std::string path = write_file(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(ReplayFile::read(path, "ircot"));
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(std::filesystem::file_size(path)));
  std::filesystem::remove(path);
}
BENCHMARK(BM_ReadReplayFile)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_ReplayedText(benchmark::State& state) {
  steper::GenerationRequest request;
  request.prompt = std::string(2000, 'x') + " Q: Where was the director of film 1 born?\nA:";
  request.stop = {"\n", "Q:"};
  request.max_new_tokens = 64;
  for (auto _ : state) benchmark::DoNotOptimize(steper::replay::replayed_text(kOutput, request));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReplayedText);

}  // namespace

BENCHMARK_MAIN();
