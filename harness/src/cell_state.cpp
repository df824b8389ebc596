#include "cell_state.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>

#include "result_reader.hpp"

namespace steper {
namespace fs = std::filesystem;

const char* to_string(CellState state) {
  switch (state) {
    case CellState::missing: return "missing";
    case CellState::complete: return "complete";
    case CellState::failed: return "failed";
    case CellState::unreadable: return "unreadable";
    case CellState::stale: return "stale";
  }
  return "?";
}

CellStatus existing_result(const Cell& cell, const std::string& path) {
  std::error_code error;
  if (!fs::exists(path, error)) return {};
  try {
    const ResultFile file = read_result_file(path, /*with_tables=*/false);
    if (file.info.config_toml != cell.config_toml()) return {CellState::stale, "its configuration differs"};
    if (file.info.status == "complete") return {CellState::complete, ""};
    return {CellState::failed, file.info.error};
  } catch (const std::exception& e) {
    return {CellState::unreadable, e.what()};
  }
}

fs::path cell_lock_path(const fs::path& results, const std::string& cell_id) {
  return results / ".locks" / (cell_id + ".lock");
}

bool cell_is_running(const fs::path& results, const std::string& cell_id) {
  const int fd = ::open(cell_lock_path(results, cell_id).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;  // never locked
  // Probing takes the lock for an instant when it is free; a runner arriving then just waits.
  const bool held = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  ::close(fd);
  return held;
}

}  // namespace steper
