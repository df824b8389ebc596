#include "open_experiment.hpp"

#include <fmt/format.h>

namespace steper {

OpenExperiment open_experiment(const std::string& file, const std::vector<std::string>& overrides) {
  Experiment experiment = Experiment::load(file, overrides);
  std::vector<Cell> cells = experiment.cells();
  ExperimentSettings settings = ExperimentSettings::read(cells.front().settings("experiment"), experiment.name());
  std::filesystem::path results = std::filesystem::path(settings.results_dir) / settings.name;
  return {file, std::move(experiment), std::move(cells), std::move(settings), std::move(results)};
}

const Cell& OpenExperiment::cell(const std::string& id_prefix) const {
  const Cell* found = nullptr;
  std::size_t matches = 0;
  for (const auto& candidate : cells)
    if (candidate.id().rfind(id_prefix, 0) == 0) {
      found = &candidate;
      ++matches;
    }
  if (matches != 1)
    throw ConfigError(fmt::format("--cell {}: {} of the {} cells of '{}' have an id starting so; "
                                  "`steper run {} --dry-run` lists them",
                                  id_prefix, matches, cells.size(), file, file));
  return *found;
}

}  // namespace steper
