// Steps per second of data-parallel training of a small MLP (about 3.1M fp32 parameters) on a
// fixed global batch, alone and as N processes on this machine (one LibTorch thread each), and
// the scaling efficiency: (steps/s with N) / (N x steps/s alone).
// Usage: steper_ddp_bench [--nproc N] [--steps S] [--batch B]. Rank 0 starts the other ranks
// as copies of this program.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <torch/torch.h>

#include "torch/data_parallel.hpp"
#include "rank_launcher.hpp"
#include "compute_controls.hpp"

namespace {

struct Options {
  int nproc = 2;
  int steps = 30;
  std::int64_t batch = 64;  // global: each of N ranks takes batch / N rows
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    const long value = std::strtol(argv[i + 1], nullptr, 10);
    if (key == "--nproc") o.nproc = static_cast<int>(value);
    else if (key == "--steps") o.steps = static_cast<int>(value);
    else if (key == "--batch") o.batch = value;
    else throw std::invalid_argument("unknown option '" + key + "'; expected --nproc, --steps or --batch");
  }
  if (o.nproc < 1 || o.steps < 1 || o.batch < o.nproc || o.batch % o.nproc != 0)
    throw std::invalid_argument("expected --nproc >= 1, --steps >= 1 and a --batch divisible by --nproc");
  return o;
}

struct Measured {
  double steps_per_s = 0;
  double allreduce_ms = 0;  // per step
  std::int64_t parameters = 0;
};

// Trains on this rank's share of the global batch; returns rank 0's timing.
Measured measure(const Options& o, steper::DataParallel* group) {
  const int world = group ? group->world_size() : 1, rank = group ? group->rank() : 0;
  torch::manual_seed(0);
  torch::nn::Sequential model(torch::nn::Linear(512, 1024), torch::nn::ReLU(), torch::nn::Linear(1024, 1024),
                              torch::nn::ReLU(), torch::nn::Linear(1024, 1024), torch::nn::ReLU(),
                              torch::nn::Linear(1024, 512));
  if (group) group->broadcast_from_rank0(model->parameters());
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.01));
  const std::int64_t local = o.batch / world;
  const torch::Tensor x = torch::randn({o.batch, 512}).narrow(/*dim=*/0, rank * local, local);  // (B/N, 512)
  const torch::Tensor y = torch::randn({o.batch, 512}).narrow(/*dim=*/0, rank * local, local);
  const int warmup = 3;
  double allreduce_s = 0;
  std::chrono::steady_clock::time_point start;
  for (int step = 0; step < warmup + o.steps; ++step) {
    if (step == warmup) {
      if (group) group->barrier();
      start = std::chrono::steady_clock::now();
      allreduce_s = 0;
    }
    optimizer.zero_grad();
    torch::mse_loss(model->forward(x), y).backward();
    if (group) {
      const auto before = std::chrono::steady_clock::now();
      group->average_gradients(model->parameters());
      allreduce_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - before).count();
    }
    optimizer.step();
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::int64_t parameters = 0;
  for (const auto& p : model->parameters()) parameters += p.numel();
  return {o.steps / seconds, 1000 * allreduce_s / o.steps, parameters};
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options o = parse(argc, argv);
    steper::set_compute_threads(1);  // LibTorch's pool and OpenBLAS's, where linear layers multiply
    if (const auto settings = steper::process_group_from_environment()) {  // a rank started by rank 0
      steper::DataParallel group(*settings);
      measure(o, &group);
      return 0;
    }
    const Measured alone = measure(o, nullptr);
    std::printf("MLP of %.2fM fp32 parameters, global batch %lld, %d timed steps, 1 LibTorch thread per process\n",
                alone.parameters / 1e6, static_cast<long long>(o.batch), o.steps);
    std::printf("1 process:   %8.2f steps/s\n", alone.steps_per_s);
    if (o.nproc > 1) {
      std::vector<std::string> command = {"/proc/self/exe"};
      for (int i = 1; i < argc; ++i) command.push_back(argv[i]);
      steper::RankLauncher launcher(command, o.nproc, /*timeout_s=*/120);
      steper::DataParallel group(launcher.settings());
      const Measured together = measure(o, &group);
      if (const int status = launcher.wait(); status != 0) {
        std::fprintf(stderr, "steper_ddp_bench: a rank failed with status %d\n", status);
        return 1;
      }
      std::printf("%d processes: %8.2f steps/s (all-reduce of the gradients: %.2f ms per step)\n", o.nproc,
                  together.steps_per_s, together.allreduce_ms);
      std::printf("scaling efficiency: %.1f%%\n", 100 * together.steps_per_s / (o.nproc * alone.steps_per_s));
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "steper_ddp_bench: %s\n", e.what());
    return 1;
  }
}
