// The pipeline of one cell, in dependency order:
// config -> plugins -> data -> index -> teacher -> step-wise samples -> train -> evaluate -> write.
#pragma once

#include <set>
#include <string>

#include "artifact_cache.hpp"
#include "config.hpp"
#include "plugin_loader.hpp"
#include "result_file.hpp"
#include "run_log.hpp"

namespace steper {

// Constructs every plugin of the cell and reads the core tables it uses ([experiment] is the
// runner's), so that unknown plugins,
// unknown keys and wrong types fail before any cell does work. Throws ConfigError or PluginError.
// Each distinct plugin table is constructed once: `validated` remembers the ones already checked.
void validate_cell(const Cell& cell, const PluginRegistry& registry, RunLog& log, std::set<std::string>& validated);

// Builds the cell's retrieval index into the cache (or finds it there): `steper index`.
void build_index(const Cell& cell, const PluginRegistry& registry, const ArtifactCache& cache, RunLog& log);

// Runs the cell, writing its training log, predictions and metrics into `writer` (which the
// caller commits) and what it used into `info`. Throws on failure.
void run_cell(const Cell& cell, const PluginRegistry& registry, const ArtifactCache& cache, RunLog& log,
              ResultWriter& writer, CellInfo& info);

}  // namespace steper
