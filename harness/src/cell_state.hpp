// What a cell's result file says about it (complete, failed, missing...), shared by `steper run`
// (which cells to skip), `steper status` and `steper submit` (which cells still need a task).
#pragma once

#include <filesystem>
#include <string>

#include "config.hpp"

namespace steper {

enum class CellState { missing, complete, failed, unreadable, stale };

const char* to_string(CellState state);

struct CellStatus {
  CellState state = CellState::missing;
  std::string detail;  // the recorded error, or why the file cannot be read
};

// The state of `cell` from its result file at `path` (missing when there is none).
CellStatus existing_result(const Cell& cell, const std::string& path);

// The lock a process holds while it computes a cell: <results>/.locks/<id>.lock.
std::filesystem::path cell_lock_path(const std::filesystem::path& results, const std::string& cell_id);

// Whether some process holds the cell's lock now, i.e. is computing the cell.
bool cell_is_running(const std::filesystem::path& results, const std::string& cell_id);

}  // namespace steper
