// Starts a data-parallel group on this machine: the calling process is rank 0 and starts ranks
// 1..N-1 as copies of a command whose environment places them in the group.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "process_group_settings.hpp"

namespace steper {

class RankLauncher {
 public:
  // Starts world_size - 1 processes running `command` (program, then arguments; a program
  // without '/' is searched in PATH; "/proc/self/exe" is this program) with STEPER_RANK,
  // STEPER_WORLD_SIZE, STEPER_MASTER_ADDR (127.0.0.1), STEPER_MASTER_PORT (a free port) and
  // STEPER_COLLECTIVE_TIMEOUT_S set, STEPER_THREADS_PER_RANK to this process's CPUs divided
  // among the ranks (at least 1), and the rest of this process's environment. Each dies with
  // SIGTERM when the thread that started it ends. Throws std::runtime_error when one cannot start
  // (those already started are stopped).
  RankLauncher(const std::vector<std::string>& command, int world_size, double timeout_s = ProcessGroupSettings{}.timeout_s);
  // Stops (SIGTERM, after 5 s SIGKILL) and reaps the ranks still running.
  ~RankLauncher();
  RankLauncher(const RankLauncher&) = delete;
  RankLauncher& operator=(const RankLauncher&) = delete;

  // Rank 0's place in the group: pass it to DataParallel in this process.
  const ProcessGroupSettings& settings() const { return settings_; }

  // Waits until every started rank has exited. Returns 0 when all exited with 0, otherwise the
  // status of the first to fail: its exit code, or 128 + the signal that killed it.
  int wait();

 private:
  void stop();  // what the destructor does

  ProcessGroupSettings settings_;
  std::vector<pid_t> running_;
};

// A TCP port on 127.0.0.1 that nothing listens on now (the kernel's choice).
int free_local_port();

}  // namespace steper
