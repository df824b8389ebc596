// Teacher trajectories and training logs as JSON files inside cached artifacts.
#pragma once

#include <string>
#include <vector>

#include "result_file.hpp"
#include "steper/types.hpp"

namespace steper {

void write_trajectories(const std::string& path, const std::vector<Trajectory>& trajectories);
std::vector<Trajectory> read_trajectories(const std::string& path);  // throws naming the file

void write_train_log(const std::string& path, const std::vector<TrainLogRow>& rows);
std::vector<TrainLogRow> read_train_log(const std::string& path);

}  // namespace steper
