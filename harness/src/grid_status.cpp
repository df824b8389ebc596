#include "grid_status.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "cell_state.hpp"
#include "open_experiment.hpp"
#include "printable.hpp"

namespace steper {
namespace fs = std::filesystem;
namespace {

// A temporary result file of a cell nobody is computing: its run was killed part-way.
bool has_partial_file(const fs::path& results, const std::string& cell_id) {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(results, error)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(cell_id + ".h5.", 0) == 0 && entry.path().extension() == ".tmp") return true;
  }
  return false;
}

GridCell read_cell(const Cell& cell, const fs::path& results) {
  GridCell row;
  row.id = cell.id();
  row.axes = cell.axes();
  if (cell_is_running(results, cell.id())) {
    row.state = GridCellState::running;
    return row;
  }
  const CellStatus file = existing_result(cell, (results / (cell.id() + ".h5")).string());
  switch (file.state) {
    case CellState::complete:
      row.state = GridCellState::done;
      break;
    case CellState::failed:
      row.state = GridCellState::failed;
      row.detail = file.detail;
      row.needs_run = true;
      break;
    case CellState::unreadable:
      row.state = GridCellState::failed;
      row.detail = "result file unreadable (" + file.detail + "); remove it or run the cell with --force";
      break;
    case CellState::stale:
      row.detail = "result file is stale: " + file.detail;
      row.needs_run = true;
      break;
    case CellState::missing:
      if (has_partial_file(results, cell.id())) row.detail = "interrupted: only a partial result file";
      row.needs_run = true;
      break;
  }
  std::replace(row.detail.begin(), row.detail.end(), '\n', ' ');
  return row;
}

}  // namespace

const char* to_string(GridCellState state) {
  switch (state) {
    case GridCellState::done: return "done";
    case GridCellState::failed: return "failed";
    case GridCellState::running: return "running";
    case GridCellState::missing: return "missing";
  }
  return "?";
}

GridStatus read_grid_status(const OpenExperiment& experiment) {
  GridStatus status{experiment.settings.name, experiment.results, {}};
  for (const auto& cell : experiment.cells) status.cells.push_back(read_cell(cell, status.results));
  return status;
}

std::string render_grid_status(const GridStatus& status) {
  // Columns: id, state, one per grid key (in the grid's order), error.
  std::vector<std::string> header = {"id", "state"};
  if (!status.cells.empty())
    for (const auto& [key, value] : status.cells.front().axes) header.push_back(key);
  header.push_back("error");
  std::vector<std::vector<std::string>> rows;
  for (const auto& cell : status.cells) {
    std::vector<std::string> row = {cell.id, to_string(cell.state)};
    for (const auto& [key, value] : cell.axes) row.push_back(printable(value));
    row.push_back(printable(cell.detail));
    rows.push_back(std::move(row));
  }
  std::vector<std::size_t> width(header.size());
  for (std::size_t c = 0; c < header.size(); ++c) {
    width[c] = header[c].size();
    for (const auto& row : rows) width[c] = std::max(width[c], row[c].size());
  }
  std::string out;
  const auto add_line = [&](const std::vector<std::string>& row) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c)
      line += c + 1 < row.size() ? fmt::format("{:<{}}  ", row[c], width[c]) : row[c];
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  };
  add_line(header);
  for (const auto& row : rows) add_line(row);

  std::array<int, 4> count{};
  for (const auto& cell : status.cells) ++count[static_cast<int>(cell.state)];
  out += fmt::format("{} cells: {} done, {} failed, {} running, {} missing; results in {}\n", status.cells.size(),
                     count[0], count[1], count[2], count[3], status.results.string());
  return out;
}

}  // namespace steper
