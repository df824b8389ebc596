#include "rank_launcher.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "child_process.hpp"

namespace steper {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(20);

// The exit status wait() reports for a waitpid status.
int exit_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

// The CPUs this process may run on (its affinity mask, e.g. under taskset or a Slurm cgroup).
int available_cpus() {
  cpu_set_t set;
  if (::sched_getaffinity(0, sizeof set, &set) != 0) return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return std::max(1, CPU_COUNT(&set));
}

}  // namespace

int free_local_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error(fmt::format("choosing a free port: socket: {}", std::strerror(errno)));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  const int error = errno;
  ::close(fd);
  if (!ok) throw std::runtime_error(fmt::format("choosing a free port on 127.0.0.1: {}", std::strerror(error)));
  return ntohs(address.sin_port);
}

RankLauncher::RankLauncher(const std::vector<std::string>& command, int world_size, double timeout_s) {
  if (command.empty()) throw std::invalid_argument("rank launcher: the command to start is empty");
  if (world_size < 1) throw std::invalid_argument(fmt::format("rank launcher: world size {}: expected >= 1", world_size));
  if (!(timeout_s > 0)) throw std::invalid_argument(fmt::format("rank launcher: timeout {} s: expected > 0", timeout_s));
  settings_.rank = 0;
  settings_.world_size = world_size;
  settings_.master_addr = "127.0.0.1";
  settings_.master_port = free_local_port();
  settings_.timeout_s = timeout_s;
  settings_.threads = std::max(1, available_cpus() / world_size);

  ChildProcess rank_process;
  rank_process.argv = command;
  rank_process.environment = environment_without({kRankVariable, kWorldSizeVariable, kMasterAddrVariable,
                                                   kMasterPortVariable, kTimeoutVariable, kThreadsVariable});
  for (const std::string& entry : {fmt::format("{}={}", kWorldSizeVariable, world_size),
                                   fmt::format("{}={}", kMasterAddrVariable, settings_.master_addr),
                                   fmt::format("{}={}", kMasterPortVariable, settings_.master_port),
                                   fmt::format("{}={}", kTimeoutVariable, timeout_s),
                                   fmt::format("{}={}", kThreadsVariable, settings_.threads)})
    rank_process.environment.push_back(entry);
  rank_process.environment.push_back("");  // the rank, set per process
  rank_process.death_signal = SIGTERM;
  for (int rank = 1; rank < world_size; ++rank) {
    rank_process.environment.back() = fmt::format("{}={}", kRankVariable, rank);
    const pid_t pid = start_child(rank_process);
    if (pid < 0) {
      const int error = errno;
      stop();
      throw std::runtime_error(fmt::format("rank launcher: cannot start rank {} of {} ('{}'): {}", rank, world_size,
                                           command.front(), std::strerror(error)));
    }
    running_.push_back(pid);
  }
}

RankLauncher::~RankLauncher() { stop(); }

void RankLauncher::stop() {
  for (const pid_t pid : running_) ::kill(pid, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!running_.empty()) {
    if (std::chrono::steady_clock::now() > deadline)
      for (const pid_t pid : running_) ::kill(pid, SIGKILL);
    running_.erase(std::remove_if(running_.begin(), running_.end(),
                                  [](pid_t pid) {
                                    int status = 0;
                                    const pid_t done = ::waitpid(pid, &status, WNOHANG);
                                    return done == pid || (done < 0 && errno == ECHILD);
                                  }),
                   running_.end());
    if (!running_.empty()) std::this_thread::sleep_for(kPollInterval);
  }
}

int RankLauncher::wait() {
  // Polls each rank's pid rather than waitpid(-1), which would reap other children of this process.
  int first_failure = 0;
  while (!running_.empty()) {
    bool any_exited = false;
    for (auto it = running_.begin(); it != running_.end();) {
      int status = 0;
      const pid_t done = ::waitpid(*it, &status, WNOHANG);
      if (done == 0 || (done < 0 && errno == EINTR)) {
        ++it;
        continue;
      }
      if (done < 0) throw std::runtime_error(fmt::format("rank launcher: waiting for process {}: {}", *it, std::strerror(errno)));
      if (first_failure == 0) first_failure = exit_status(status);
      it = running_.erase(it);
      any_exited = true;
    }
    if (!any_exited && !running_.empty()) std::this_thread::sleep_for(kPollInterval);
  }
  return first_failure;
}

}  // namespace steper
