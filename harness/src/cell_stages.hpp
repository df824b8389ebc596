// One cell opened once (its settings, plugin context, dataset and corpus, retriever with its
// index, framework and teacher, side by side) and the stages that run over it. pipeline.cpp
// strings them together; each stage caches its artifact under a key of what it depends on.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "artifact_cache.hpp"
#include "config.hpp"
#include "core_settings.hpp"
#include "parallel_training.hpp"
#include "plugin_loader.hpp"
#include "result_writer.hpp"
#include "run_log.hpp"
#include "steper/dataset.hpp"
#include "steper/framework.hpp"
#include "steper/model.hpp"
#include "steper/retriever.hpp"
#include "train_settings.hpp"

namespace steper {

// Table [table] as written: what a stage's cache key holds of it.
std::string table_text(const Cell& cell, const std::string& table);

class OpenCell {
 public:
  // The data and index stages: the dataset read, its corpus indexed (or found in the cache).
  OpenCell(const Cell& cell, const PluginRegistry& registry, const ArtifactCache& cache, RunLog& log);

  // Creates the plugin named by table [table]'s `name` key.
  template <class T>
  std::unique_ptr<T> make(const std::string& table) {
    Settings settings = cell.settings(table);
    return registry.create<T>(settings.require<std::string>("name"), settings, context);
  }
  // The cache key of the teacher stage.
  std::string teacher_key() const;

  const Cell& cell;
  const PluginRegistry& registry;
  const ArtifactCache& cache;
  RunLog& log;
  const RunSettings run;
  const EvalSettings eval;
  const TrainSettings train;
  HostContext context;
  std::unique_ptr<Dataset> dataset;
  Corpus corpus;
  std::vector<Question> eval_questions;
  std::unique_ptr<Retriever> retriever;
  std::string index_key;
  std::unique_ptr<Framework> framework;
  // Constructing a model only reads its settings; a large teacher loads its weights at its
  // first generate, which a cached teacher stage never calls.
  std::unique_ptr<Model> teacher;
};

// The teacher's trajectories over the training questions (generated, or from the cache), the
// filter's verdicts, and the step-wise samples of the kept ones.
struct TeacherSamples {
  std::string key;  // the teacher stage's cache key
  std::vector<StepSample> samples;
};
TeacherSamples teacher_stage(OpenCell& open, ResultWriter& writer, Metrics& metrics);

// The student, made a reader first when [pretrain] asks, then trained on the samples (or its
// checkpoint found in the cache). Null in a helper rank of data-parallel training, which
// trains its share and leaves the evaluation to rank 0.
std::unique_ptr<Model> train_stage(OpenCell& open, const TeacherSamples& taught, ResultWriter& writer,
                                   Metrics& metrics, CellInfo& info, const CellProcess& process);

// `model` answers the evaluation questions through the framework; predictions, trajectories
// and metrics go to the result file.
void evaluate_stage(OpenCell& open, Model& model, ResultWriter& writer, Metrics& metrics);

}  // namespace steper
