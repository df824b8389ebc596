// Costs the harness adds around the science: scoring answers, and logging one training step
// to the result file (appended and flushed per step so a crash loses at most one row). The
// anchor for the log is the same bytes appended to a plain file with fwrite + fflush.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "result_writer.hpp"
#include "steper/metrics.hpp"

namespace {

std::string scratch_path(const char* name) {
  return (std::filesystem::temp_directory_path() / (std::string(name) + "-" + std::to_string(::getpid()))).string();
}

void BM_ScoreAnswer(benchmark::State& state) {
  const std::string prediction = "So the answer is: The Republic of Ireland, in the north-west of Europe.";
  const std::vector<std::string> golds = {"Republic of Ireland", "Ireland", "Éire"};
  for (auto _ : state) benchmark::DoNotOptimize(steper::score_answer(prediction, golds));
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("answers scored against 3 golds");
}
BENCHMARK(BM_ScoreAnswer);

void BM_TrainLogAppend_Hdf5(benchmark::State& state) {
  const std::string path = scratch_path("bench-train-log") + ".h5";
  {
    steper::ResultWriter writer(path);  // never committed: removes its temporary file
    steper::TrainLogRow row;
    for (auto _ : state) {
      ++row.step;
      writer.append_train_log(row);
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("rows appended and flushed");
}
BENCHMARK(BM_TrainLogAppend_Hdf5);

void BM_TrainLogAppend_PlainFileAnchor(benchmark::State& state) {
  const std::string path = scratch_path("bench-plain-log");
  std::FILE* file = std::fopen(path.c_str(), "wb");
  steper::TrainLogRow row;
  for (auto _ : state) {
    ++row.step;
    std::fwrite(&row, sizeof row, 1, file);
    std::fflush(file);
  }
  std::fclose(file);
  std::remove(path.c_str());
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("same bytes, fwrite + fflush");
}
BENCHMARK(BM_TrainLogAppend_PlainFileAnchor);

}  // namespace

BENCHMARK_MAIN();
