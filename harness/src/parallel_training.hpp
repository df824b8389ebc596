// The process group of one cell's data-parallel training ([train] world_size > 1): joined from
// the environment when this process was started as a rank (by rank 0 or by srun), otherwise
// started here, with this process as rank 0 and ranks 1..N-1 re-running the cell.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "torch/data_parallel.hpp"
#include "rank_launcher.hpp"
#include "compute_controls.hpp"
#include "train_settings.hpp"

namespace steper {

class RunLog;

// How this process takes part in a cell.
struct CellProcess {
  std::vector<std::string> rerun_command;     // runs this cell again: rank 0 starts ranks 1..N-1 with it
  std::optional<ProcessGroupSettings> group;  // this process's rank when started as one
};

class ParallelTraining {
 public:
  // Joins or starts the group; nothing when world_size is 1 and no group is set. Throws when
  // the group's size is not world_size.
  ParallelTraining(const TrainSettings& train, const CellProcess& process, RunLog& log);
  ~ParallelTraining();

  DataParallel* group() { return group_.get(); }
  // Waits for the ranks this process started; throws when one of them failed.
  void finish();

 private:
  std::optional<ComputeThreadCap> thread_cap_;  // while training: ranks on one machine split its cores
  std::unique_ptr<RankLauncher> launcher_;
  std::unique_ptr<DataParallel> group_;
};

}  // namespace steper
