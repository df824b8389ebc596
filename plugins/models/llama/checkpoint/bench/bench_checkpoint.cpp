// Checkpoint I/O costs: opening (header parse and checks) a file with a Llama-3-8B-like tensor
// list, and writing tensor bytes to disk. Files go to $TMPDIR (default /tmp).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "checkpoint.hpp"

namespace {

using namespace steper::checkpoint;

std::filesystem::path scratch_folder(const std::string& name) {
  const auto folder = std::filesystem::temp_directory_path() / ("steper_checkpoint_bench_" + name);
  std::filesystem::create_directories(folder);
  return folder;
}

// Names of a 32-layer decoder in Hugging Face's layout: 9 tensors per layer plus 3.
std::vector<std::string> llama_tensor_names(int layers) {
  std::vector<std::string> names{"model.embed_tokens.weight", "model.norm.weight", "lm_head.weight"};
  const char* per_layer[] = {"self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight",
                             "self_attn.o_proj.weight", "mlp.gate_proj.weight",    "mlp.up_proj.weight",
                             "mlp.down_proj.weight",    "input_layernorm.weight",  "post_attention_layernorm.weight"};
  for (int layer = 0; layer < layers; ++layer) {
    for (const char* suffix : per_layer) names.push_back("model.layers." + std::to_string(layer) + "." + suffix);
  }
  return names;
}

void BM_OpenCheckpointHeader(benchmark::State& state) {
  const auto folder = scratch_folder("open");
  const std::vector<std::string> names = llama_tensor_names(32);
  const std::vector<std::byte> bytes(64);
  std::vector<TensorView> tensors;
  for (const std::string& name : names) tensors.push_back({name, DType::BF16, {4, 8}, {bytes.data(), bytes.size()}});
  write_checkpoint(folder, tensors, std::size_t{1} << 30);
  for (auto _ : state) {
    const Checkpoint checkpoint = Checkpoint::open(folder);
    benchmark::DoNotOptimize(checkpoint.find("lm_head.weight"));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(tensors.size()));
  state.counters["tensors"] = static_cast<double>(tensors.size());
  std::filesystem::remove_all(folder);
}
BENCHMARK(BM_OpenCheckpointHeader)->Unit(benchmark::kMicrosecond);

void BM_WriteSafetensors(benchmark::State& state) {
  const auto folder = scratch_folder("write");
  const std::size_t bytes_per_tensor = static_cast<std::size_t>(state.range(0));
  const std::vector<std::byte> bytes(bytes_per_tensor, std::byte{1});
  std::vector<TensorView> tensors;
  for (int i = 0; i < 8; ++i) {
    tensors.push_back({"t" + std::to_string(i), DType::BF16, {static_cast<std::int64_t>(bytes_per_tensor / 2)},
                       {bytes.data(), bytes.size()}});
  }
  for (auto _ : state) write_safetensors(folder / "model.safetensors", tensors, {{"format", "pt"}});
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(8 * bytes_per_tensor));
  std::filesystem::remove_all(folder);
}
// Wall-clock time: the cost is in the kernel and the disk, not this thread's CPU time.
BENCHMARK(BM_WriteSafetensors)->Arg(1 << 20)->Arg(16 << 20)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
