// The pipeline of one cell, in dependency order:
// config -> plugins -> data -> index -> teacher -> step-wise samples -> train -> evaluate -> write.
#pragma once

#include <ostream>
#include <set>
#include <string>

#include "artifact_cache.hpp"
#include "config.hpp"
#include "parallel_training.hpp"
#include "plugin_loader.hpp"
#include "result_writer.hpp"
#include "run_log.hpp"

namespace steper {

// Constructs every plugin of the cell and reads the core tables it uses ([experiment] is the
// runner's), so that unknown plugins,
// unknown keys and wrong types fail before any cell does work. Throws ConfigError or PluginError.
// Each distinct plugin table is constructed once: `validated` remembers the ones already checked.
void validate_cell(const Cell& cell, const PluginRegistry& registry, RunLog& log, std::set<std::string>& validated);

// Builds the cell's retrieval index into the cache (or finds it there): `steper index`.
void build_index(const Cell& cell, const PluginRegistry& registry, const ArtifactCache& cache, RunLog& log);

// Prints one training question's cached teacher trajectory and the step-wise samples cut from
// it, as a person reads them: `steper inspect`. Throws when the teacher stage has not run.
void inspect_question(const Cell& cell, const PluginRegistry& registry, const ArtifactCache& cache, RunLog& log,
                      const std::string& question_id, std::ostream& out);

// Runs the cell, writing its training log, teacher trajectories, predictions, evaluated
// trajectories and metrics into `writer` (which the
// caller commits) and what it used into `info`. Throws on failure.
// `process` says how this process takes part when training runs data-parallel: a rank above 0
// runs the stages up to training, trains its share and returns before evaluating.
void run_cell(const Cell& cell, const PluginRegistry& registry, const ArtifactCache& cache, RunLog& log,
              ResultWriter& writer, CellInfo& info, const CellProcess& process);

}  // namespace steper
