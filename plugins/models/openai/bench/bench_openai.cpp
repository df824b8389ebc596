// Requests/s of complete_all against a server on 127.0.0.1 that answers after a fixed latency:
// with latency 0 the client's own cost per request (HTTP on loopback, JSON both ways), with a
// latency how well `concurrency` overlaps waiting.
#include <benchmark/benchmark.h>

#include <chrono>
#include <thread>

#include "parallel_completions.hpp"
#include "scripted_server.hpp"

namespace {

using namespace steper::openai;

constexpr int kRequestsPerBatch = 64;

void BM_CompleteAll(benchmark::State& state) {
  const int concurrency = static_cast<int>(state.range(0));
  const auto latency = std::chrono::milliseconds(state.range(1));
  ScriptedServer server([&](const httplib::Request&, httplib::Response& response, int) {
    if (latency.count() > 0) std::this_thread::sleep_for(latency);
    response.set_content(completion_json(" Paris is the capital of France.", "stop"), "application/json");
  });
  ClientSettings settings;
  settings.server = parse_server_address(server.base_url());
  settings.model = "teacher";
  settings.concurrency = concurrency;
  steper::GenerationRequest request;
  request.prompt = std::string(4000, 'x') + "\n\nQ: What is the capital of France?\nA:";
  request.stop = {"\n"};
  const std::vector<steper::GenerationRequest> requests(kRequestsPerBatch, request);
  for (auto _ : state) {
    const auto results = complete_all(settings, std::nullopt, requests, nullptr);
    if (results.back().finish_reason == "error") {
      state.SkipWithError(results.back().error.c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * kRequestsPerBatch);
  state.counters["concurrency"] = concurrency;
  state.counters["latency_ms"] = static_cast<double>(latency.count());
}
BENCHMARK(BM_CompleteAll)->ArgNames({"concurrency", "latency_ms"})
    ->Args({1, 0})->Args({4, 0})->Args({1, 20})->Args({8, 20})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
