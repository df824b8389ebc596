// An experiment as every command opens it (run, status, submit, index, inspect, plugins): the
// file loaded once with its overrides, its cells, its [experiment] settings and results folder.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "config.hpp"
#include "core_settings.hpp"
#include "plugin_loader.hpp"

namespace steper {

struct OpenExperiment {
  std::string file;
  Experiment experiment;
  std::vector<Cell> cells;          // in grid order; never empty
  ExperimentSettings settings;      // the first cell's [experiment] table
  std::filesystem::path results;    // <results_dir>/<name>

  // The one cell whose id starts with `id_prefix`; a ConfigError naming the count otherwise.
  const Cell& cell(const std::string& id_prefix) const;

  // The plugins of the default search path and the experiment's plugin_path, loaded now.
  PluginRegistry load_plugins() const { return PluginRegistry(plugin_search_path(settings.plugin_path)); }
};

OpenExperiment open_experiment(const std::string& file, const std::vector<std::string>& overrides);

}  // namespace steper
