// Starting child processes, one way for all of them: the cells of `run --jobs`, the ranks of
// data-parallel training, and `sbatch`.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace steper {

struct ChildProcess {
  std::vector<std::string> argv;         // argv[0]: a path, or a name looked up on PATH
  std::vector<std::string> environment;  // the child's whole environment, "NAME=value" each
  std::string stdout_file;               // "" keeps the parent's stdout
  std::string stderr_file;               // "" keeps the parent's stderr; == stdout_file: both into one file
  int death_signal = 0;                  // sent to the child when its parent dies (0: none)
};

// Forks and executes `child`; returns its pid, or -1 with errno set when fork fails. A child that
// cannot open its output files or execute argv[0] says so on its stderr and exits 127.
pid_t start_child(const ChildProcess& child);

// This process's environment as "NAME=value" entries, without the variables named in `drop`.
std::vector<std::string> environment_without(const std::vector<std::string>& drop);

// Waits for `pid` to end (through EINTR) and returns its waitpid status; -1 when it is not our child.
int wait_child(pid_t pid);

// "exit code N" or "killed by signal N" for a waitpid status.
std::string describe_exit(int status);

}  // namespace steper
