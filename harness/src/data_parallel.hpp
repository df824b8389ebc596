// Data-parallel training over PyTorch's c10d: a TCPStore rendezvous and a Gloo process group on
// CPU. Every rank holds a full copy of the model; parameters start equal (broadcast from rank 0)
// and stay equal because every rank applies the same averaged gradients.
// The class is implemented with LibTorch in torch/data_parallel.cpp; the environment reading in
// process_group_settings.cpp.
#pragma once

#include <ATen/core/Tensor.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace steper {

struct ProcessGroupSettings {
  int rank = 0;
  int world_size = 1;
  std::string master_addr = "127.0.0.1";  // where rank 0 serves the TCPStore
  int master_port = 29500;
  double timeout_s = 300;  // the longest any collective (and the rendezvous) may wait for a peer
  int threads = 0;  // the most compute threads of each rank (ranks sharing a machine); 0: no cap
};

// The environment variables that place a process in a group; the launcher sets them.
inline constexpr const char* kRankVariable = "STEPER_RANK";
inline constexpr const char* kWorldSizeVariable = "STEPER_WORLD_SIZE";
inline constexpr const char* kMasterAddrVariable = "STEPER_MASTER_ADDR";
inline constexpr const char* kMasterPortVariable = "STEPER_MASTER_PORT";
inline constexpr const char* kTimeoutVariable = "STEPER_COLLECTIVE_TIMEOUT_S";
inline constexpr const char* kThreadsVariable = "STEPER_THREADS_PER_RANK";

// This process's place in a group of more than one process, or nullopt when it runs alone.
// STEPER_RANK and STEPER_WORLD_SIZE (with STEPER_MASTER_PORT; STEPER_MASTER_ADDR defaults to
// 127.0.0.1) come first; otherwise a task of an `srun` step with more than one task uses
// SLURM_PROCID and SLURM_STEP_NUM_TASKS, the first host of SLURM_STEP_NODELIST (or
// SLURM_JOB_NODELIST) as master and a port derived from SLURM_JOB_ID; STEPER_MASTER_ADDR,
// STEPER_MASTER_PORT and STEPER_COLLECTIVE_TIMEOUT_S override those. STEPER_THREADS_PER_RANK
// caps each rank's compute threads. A bad value throws
// std::invalid_argument naming the variable, its value and what was expected.
std::optional<ProcessGroupSettings> process_group_from_environment();

// The first host of a Slurm host list: "node[003-005,9],gpu1" -> "node003".
std::string first_slurm_host(const std::string& nodelist);

// One process's membership in the group. All ranks must call the collectives in the same order
// with tensors of the same shapes. A collective that does not finish within the timeout, or
// whose peer went away, throws std::runtime_error naming the collective and this rank; it never
// hangs. After such an error the group is unusable: the process should exit.
class DataParallel {
 public:
  // Blocks until every rank has joined (or the timeout passes: std::runtime_error).
  explicit DataParallel(const ProcessGroupSettings& settings);
  ~DataParallel();
  DataParallel(const DataParallel&) = delete;
  DataParallel& operator=(const DataParallel&) = delete;

  int rank() const { return settings_.rank; }
  int world_size() const { return settings_.world_size; }

  // Overwrites the tensors of every rank with rank 0's, in place (the parameters at the start).
  void broadcast_from_rank0(const std::vector<at::Tensor>& tensors);
  // Replaces every parameter's .grad() by the mean over the ranks. A parameter without a
  // gradient on this rank counts as zeros (and gets a zero gradient), so that every rank sends
  // the same buffers whatever its batch touched.
  void average_gradients(const std::vector<at::Tensor>& parameters);
  // The sum of `value` over the ranks (a global loss for logging).
  double sum(double value);
  void barrier();

 private:
  struct Group;
  ProcessGroupSettings settings_;
  std::unique_ptr<Group> group_;
};

}  // namespace steper
