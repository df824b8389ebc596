#include "parallel_training.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "run_log.hpp"
#include "compute_controls.hpp"

namespace steper {

ParallelTraining::ParallelTraining(const TrainSettings& train, const CellProcess& process, RunLog& log) {
  ProcessGroupSettings settings;
  if (process.group) {
    settings = *process.group;
    if (settings.world_size != train.world_size)
      throw std::runtime_error(fmt::format("this process is rank {} of {} (STEPER_WORLD_SIZE or the Slurm step's "
                                           "tasks) but [train] world_size is {}",
                                           settings.rank, settings.world_size, train.world_size));
  } else if (train.world_size > 1) {
    launcher_ = std::make_unique<RankLauncher>(process.rerun_command, train.world_size, train.collective_timeout_s);
    settings = launcher_->settings();
    log.info(fmt::format("started ranks 1 to {} for data-parallel training (port {})", train.world_size - 1,
                         settings.master_port));
  } else {
    return;
  }
  thread_cap_.emplace(settings.threads);
  group_ = std::make_unique<DataParallel>(settings);
  log.info(fmt::format("rank {} of {} joined the process group ({} LibTorch threads)", settings.rank,
                       settings.world_size, compute_threads()));
}

ParallelTraining::~ParallelTraining() = default;

void ParallelTraining::finish() {
  if (!launcher_) return;
  const int status = launcher_->wait();
  if (status != 0) throw std::runtime_error(fmt::format("a data-parallel training rank failed (exit status {})", status));
}

}  // namespace steper
