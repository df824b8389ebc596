// Where a process stands in a data-parallel group: its rank, the group's size and rendezvous,
// read from the environment that the launcher or Slurm sets.
#pragma once

#include <optional>
#include <string>

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

}  // namespace steper
