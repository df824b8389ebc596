// One rank (1..N-1) of the data-parallel tests, started by RankLauncher from the unit tests,
// which are rank 0. Modes: `train sgd|adamw OUT` trains the tiny model and writes its weights
// to OUT; `die` joins the group and exits with 3 before any collective; `stall` joins and sleeps.
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "torch/data_parallel.hpp"
#include "tiny_training.hpp"

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  try {
    const auto settings = steper::process_group_from_environment();
    if (!settings) throw std::runtime_error("not started as a rank: STEPER_RANK and STEPER_WORLD_SIZE are not set");
    steper::DataParallel group(*settings);
    if (mode == "train" && argc == 4) {
      steper::TinyTraining run;
      run.optimizer = argv[2];
      steper::write_weights(argv[3], steper::train_tiny_model(run, &group).weights);
      return 0;
    }
    if (mode == "die") return 3;
    if (mode == "stall") {
      std::this_thread::sleep_for(std::chrono::seconds(60));
      return 0;
    }
    std::fprintf(stderr, "usage: steper_ddp_worker train sgd|adamw OUT | die | stall\n");
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "steper_ddp_worker %s: %s\n", mode.c_str(), e.what());
    return 1;
  }
}
