// Where a process stands in a data-parallel group, read from the environment (launcher or Slurm).
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

#include <fmt/format.h>

#include "process_group_settings.hpp"
#include "steper/settings.hpp"

namespace steper {
namespace {

const char* variable(const char* name) {
  const char* value = std::getenv(name);
  return value && *value ? value : nullptr;
}

[[noreturn]] void reject(const char* name, const std::string& value, const std::string& expected) {
  throw ConfigError(fmt::format("environment variable {}='{}': expected {}", name, value, expected));
}

long integer_variable(const char* name, long low, long high, const std::string& expected) {
  const std::string text = variable(name);
  char* end = nullptr;
  errno = 0;
  const long value = std::strtol(text.c_str(), &end, 10);
  if (errno != 0 || end == text.c_str() || *end != '\0' || value < low || value > high) reject(name, text, expected);
  return value;
}

int port_variable(const char* name) {
  return static_cast<int>(integer_variable(name, 1, 65535, "a TCP port from 1 to 65535"));
}

double timeout_variable(const char* name) {
  const std::string text = variable(name);
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0' || !std::isfinite(value) || value <= 0)
    reject(name, text, "a positive number of seconds");
  return value;
}

// Ports 15000..29999: below Linux's ephemeral range, so a job's port rarely collides with a
// connection's local port; jobs sharing a node differ unless their ids differ by 15000.
int port_for_slurm_job() {
  return 15000 + static_cast<int>(integer_variable("SLURM_JOB_ID", 0, std::numeric_limits<int>::max(),
                                                   "a non-negative job id") % 15000);
}

}  // namespace

std::string first_slurm_host(const std::string& nodelist) {
  // Up to the first comma outside brackets, each "[003-005,9]" replaced by its first number.
  std::string host;
  bool in_brackets = false, past_first = false;
  for (const char c : nodelist) {
    if (!in_brackets && c == ',') break;
    if (c == '[' || c == ']') {
      in_brackets = c == '[';
      past_first = false;
    } else if (!in_brackets) {
      host += c;
    } else if (c == ',' || c == '-') {
      past_first = true;
    } else if (!past_first) {
      host += c;
    }
  }
  if (in_brackets) throw ConfigError(fmt::format("Slurm node list '{}': '[' without ']'", nodelist));
  return host;
}

std::optional<ProcessGroupSettings> process_group_from_environment() {
  ProcessGroupSettings settings;
  const int max_ranks = 1 << 20;
  if (variable(kRankVariable) || variable(kWorldSizeVariable)) {
    const auto require = [](const char* name) {
      if (!variable(name))
        throw ConfigError(fmt::format("environment variable {} is not set, but {} and {} place this process in a "
                                      "process group of more than one process and need it",
                                      name, kRankVariable, kWorldSizeVariable));
    };
    require(kRankVariable);
    require(kWorldSizeVariable);
    settings.world_size = static_cast<int>(integer_variable(kWorldSizeVariable, 1, max_ranks, "a number of processes >= 1"));
    settings.rank = static_cast<int>(integer_variable(
        kRankVariable, 0, settings.world_size - 1, fmt::format("a rank from 0 to {} (STEPER_WORLD_SIZE - 1)", settings.world_size - 1)));
    if (settings.world_size == 1) return std::nullopt;
    require(kMasterPortVariable);
  } else if (variable("SLURM_STEP_NUM_TASKS") && variable("SLURM_PROCID")) {
    // Only `srun` sets SLURM_STEP_NUM_TASKS: a batch script's own process is not a rank.
    settings.world_size = static_cast<int>(integer_variable("SLURM_STEP_NUM_TASKS", 1, max_ranks, "a number of tasks >= 1"));
    if (settings.world_size == 1) return std::nullopt;
    settings.rank = static_cast<int>(integer_variable("SLURM_PROCID", 0, settings.world_size - 1,
                                                      fmt::format("a task rank from 0 to {}", settings.world_size - 1)));
    const char* nodelist = variable("SLURM_STEP_NODELIST") ? "SLURM_STEP_NODELIST" : "SLURM_JOB_NODELIST";
    if (!variable(kMasterAddrVariable)) {
      if (!variable(nodelist))
        throw ConfigError(fmt::format("environment variable {} is not set: under Slurm it names the host of rank 0 "
                                      "(or set {})",
                                      nodelist, kMasterAddrVariable));
      settings.master_addr = first_slurm_host(variable(nodelist));
    }
    if (!variable(kMasterPortVariable)) {
      if (!variable("SLURM_JOB_ID"))
        throw ConfigError(fmt::format("environment variable SLURM_JOB_ID is not set: under Slurm it chooses the "
                                      "rendezvous port (or set {})",
                                      kMasterPortVariable));
      settings.master_port = port_for_slurm_job();
    }
  } else {
    return std::nullopt;
  }
  if (variable(kMasterAddrVariable)) settings.master_addr = variable(kMasterAddrVariable);
  if (variable(kMasterPortVariable)) settings.master_port = port_variable(kMasterPortVariable);
  if (variable(kTimeoutVariable)) settings.timeout_s = timeout_variable(kTimeoutVariable);
  if (variable(kThreadsVariable))
    settings.threads = static_cast<int>(integer_variable(kThreadsVariable, 1, 1 << 16, "a number of threads >= 1"));
  return settings;
}

}  // namespace steper
