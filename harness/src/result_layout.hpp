// The names and record layouts of a result file, shared by its writer and its reader.
// The layout as a whole is described at the top of result_writer.cpp.
#pragma once

#include <cstdint>
#include <string>

#include "result_file.hpp"
#include "result_hdf5.hpp"

namespace steper::result_layout {

inline constexpr const char* kFormat = "steper-result";
inline constexpr std::int64_t kFormatVersion = 4;
// Version 2 lacks the trajectory groups; the reader reads it with no trajectories.
inline constexpr std::int64_t kOldestReadableFormatVersion = 2;
inline constexpr std::int64_t kFirstVersionWithTrajectories = 3;
// Version 4 has version 3's layout in a sealed file (result_seal.hpp); a version 4 file without
// its seal is refused.
inline constexpr std::int64_t kFirstSealedVersion = 4;

inline constexpr struct {
  const char* config = "/config";
  const char* cell_toml = "/config/cell_toml";
  const char* resolved_toml = "/config/resolved_toml";
  const char* axes = "/config/axes";
  const char* metrics = "/metrics";
  const char* recall_per_step = "/metrics/recall_per_step";
  const char* teacher_recall_per_step = "/metrics/teacher_recall_per_step";
  const char* predictions = "/predictions";
  const char* prediction_table = "/predictions/table";
  const char* golds = "/predictions/golds";
  const char* golds_offsets = "/predictions/golds_offsets";
  const char* retrieved_ids = "/predictions/retrieved_ids";
  const char* retrieved_ids_offsets = "/predictions/retrieved_ids_offsets";
  const char* trajectories = "/trajectories";                  // the evaluated questions'
  const char* teacher_trajectories = "/teacher_trajectories";  // the training questions'
  const char* teacher_filter = "/teacher_trajectories/filter";
  const char* train_log = "/train_log";
  const char* pretrain_log = "/pretrain_log";  // only in files of cells that pretrained their student
  const char* log = "/log";
} kPath{};

// The datasets of either trajectory group, as names relative to the group.
inline constexpr struct {
  const char* questions = "questions";
  const char* step_offsets = "step_offsets";
  const char* steps = "steps";
  const char* retrieved_offsets = "retrieved_offsets";
  const char* retrieved_ids = "retrieved_ids";
  const char* retrieved_scores = "retrieved_scores";
} kTrajectoryPath{};

// Root attributes other than format, format_version, threads, grid_index and seed.
inline constexpr struct {
  std::string CellInfo::*field;
  const char* name;
} kInfoAttributes[] = {
    {&CellInfo::status, "status"},
    {&CellInfo::experiment, "experiment"},
    {&CellInfo::cell_id, "cell_id"},
    {&CellInfo::code_version, "code_version"},
    {&CellInfo::host, "host"},
    {&CellInfo::started_at, "started_at"},
    {&CellInfo::finished_at, "finished_at"},
    {&CellInfo::error, "error"},
    {&CellInfo::train_precision, "train_precision"},
};
inline constexpr const char* kFormatAttribute = "format";
inline constexpr const char* kFormatVersionAttribute = "format_version";
inline constexpr const char* kThreadsAttribute = "threads";
inline constexpr const char* kGridIndexAttribute = "grid_index";
inline constexpr const char* kSeedAttribute = "seed";

// Attributes of /metrics; samples per step kind are "samples_" + the kind's name.
inline constexpr struct {
  double Metrics::*field;
  const char* name;
} kScoreAttributes[] = {
    {&Metrics::em, "em"},
    {&Metrics::f1, "f1"},
    {&Metrics::acc, "acc"},
    {&Metrics::ability_initialization, "ability_initialization"},
    {&Metrics::ability_expansion, "ability_expansion"},
    {&Metrics::ability_aggregation, "ability_aggregation"},
    {&Metrics::steps_mean, "steps_mean"},
    {&Metrics::teacher_steps_mean, "teacher_steps_mean"},
};
inline constexpr struct {
  std::int64_t Metrics::*field;
  const char* name;
} kCountAttributes[] = {
    {&Metrics::questions, "questions"},
    {&Metrics::teacher_trajectories, "teacher_trajectories"},
    {&Metrics::teacher_kept, "teacher_kept"},
    {&Metrics::ended_error, "ended_error"},
    {&Metrics::ended_no_answer, "ended_no_answer"},
    {&Metrics::teacher_filtered_error, "teacher_filtered_error"},
    {&Metrics::teacher_filtered_no_answer, "teacher_filtered_no_answer"},
    {&Metrics::teacher_filtered_wrong, "teacher_filtered_wrong"},
    {&Metrics::teacher_filtered_bridge, "teacher_filtered_bridge"},
};
// Counts added after format 2: written always, 0 when a file lacks them.
inline constexpr struct {
  std::int64_t Metrics::*field;
  const char* name;
} kLaterCountAttributes[] = {
    {&Metrics::student_parameters, "student_parameters"},
};
// Scores added after format 3: written always, NaN when a file lacks them.
inline constexpr struct {
  double Metrics::*field;
  const char* name;
} kLaterScoreAttributes[] = {
    {&Metrics::pretrain_reading_acc, "pretrain_reading_acc"},
};
std::string samples_attribute(int kind);

inline constexpr unsigned long long kTrainLogChunkRows = 256;
inline constexpr unsigned long long kLogChunkRows = 64;

// Rows of the compound datasets as they sit in memory; strings point into the caller's
// std::strings when writing and into HDF5's allocations when reading.
struct AxisRecord {
  const char* key;
  const char* value;
};
struct PredictionRecord {
  const char* question_id;
  const char* prediction;
  double em, f1, acc;
  std::int32_t steps;
};
struct TrajectoryRecord {
  const char* question_id;
  const char* answer;
  std::uint8_t answer_found;
  const char* end_reason;
};
struct StepRecord {
  const char* query;
  std::int32_t prompt_tokens;
  const char* generated;
};
struct TrainLogRecord {
  std::int64_t step;
  double loss;
  double kind_loss[kStepKindCount];    // columns loss_first, loss_mid, loss_final
  double kind_weight[kStepKindCount];  // columns weight_first, weight_mid, weight_final
  double learning_rate;
  double tokens_per_s;
  double dev_score;
  double seconds;
};

hdf5::Handle axis_type();
hdf5::Handle prediction_type();
hdf5::Handle trajectory_type();
hdf5::Handle step_type();
hdf5::Handle train_log_type();

}  // namespace steper::result_layout
