// Writes one cell's result file. Layout (format "steper-result", format_version 4; every
// string is a variable-length UTF-8 string; names live in result_layout.hpp). The HDF5 file
// starts after a 512-byte user block that holds its seal (result_seal.hpp), written at commit:
//
//   /                      attributes: format, format_version (int64), status ("complete" or
//                          "failed"), experiment, cell_id, code_version, host, threads (int64),
//                          grid_index (int64: the cell's position in its grid), seed (uint64),
//                          started_at, finished_at (ISO 8601 UTC), error, train_precision
//   /config/cell_toml      scalar string: the cell as configured
//   /config/resolved_toml  scalar string: every setting used, defaults included
//   /config/axes           compound (key, value): grid key -> value as TOML text
//   /metrics               group; attributes em, f1, acc (double, percent, means over
//                          questions), ability_initialization, ability_expansion,
//                          ability_aggregation (double, percent, NaN without gold
//                          decompositions), steps_mean, teacher_steps_mean (double),
//                          questions, ended_error, ended_no_answer, teacher_trajectories,
//                          teacher_kept, teacher_filtered_error, teacher_filtered_no_answer,
//                          teacher_filtered_wrong, teacher_filtered_bridge, samples_first,
//                          samples_mid, samples_final, student_parameters (int64; not in
//                          format 2), pretrain_reading_acc (double, percent; NaN without
//                          pretraining or in files written before it existed)
//   /metrics/recall_per_step, /metrics/teacher_recall_per_step
//                          double, percent of supporting paragraphs retrieved by step 1, 2, ...
//                          (evaluation / teacher trajectories); empty without supporting paragraphs
//   /predictions/table     compound (question_id, prediction, em, f1, acc: double 0..1,
//                          steps: int32), one row per question
//   /predictions/golds, /predictions/retrieved_ids
//                          1-D strings of all questions one after another, with
//   /predictions/golds_offsets, /predictions/retrieved_ids_offsets
//                          int64, rows + 1 entries: question i owns [offsets[i], offsets[i+1])
//   /trajectories          group: the evaluated questions' trajectories, row i belonging to
//                          /predictions/table row i; datasets:
//     questions            compound (question_id, answer: extracted by the framework's answer
//                          pattern or the last output, answer_found: uint8 0/1, end_reason:
//                          "answer", "empty", "step_cap" or "error: <what>"), one row per question
//     step_offsets         int64, questions + 1 entries: question i owns steps [o[i], o[i+1])
//     steps                compound (query, prompt_tokens: int32, generated: the sentence kept),
//                          every question's steps one after another
//     retrieved_offsets    int64, steps + 1 entries: step j retrieved [r[j], r[j+1]) of
//     retrieved_ids, retrieved_scores
//                          strings and doubles: paragraph ids and scores, best first per step
//   /teacher_trajectories  the same datasets for the training questions' teacher trajectories
//                          (empty when the cell evaluated the teacher), plus
//     filter               strings, one per question: "kept", "error", "no_answer",
//                          "wrong_answer" or "unsupported_bridge" (the rule that dropped it)
//   /train_log             extendible compound (step int64; loss, loss_first, loss_mid,
//                          loss_final, weight_first, weight_mid, weight_final, learning_rate,
//                          tokens_per_s, dev_score double: NaN at steps without a dev
//                          evaluation, absent from files of format 2; seconds double: wall
//                          time of the step with its batch and dev evaluation, absent from
//                          earlier files of format 3), one row per logged step
//   /pretrain_log          the same columns for the pretraining stage (dev_score: the gate's
//                          reading accuracy), present only when the cell pretrained its student
//   /log                   extendible 1-D strings: the run log
//
// In h5py: f["/metrics"].attrs["em"]; f["/predictions/table"]["prediction"] (bytes, UTF-8);
// golds of question i: f["/predictions/golds"][o[i]:o[i+1]] with o = golds_offsets[:].
// Format 2 is format 3 without /trajectories, /teacher_trajectories and /train_log's dev_score.
#include "result_writer.hpp"

#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "result_layout.hpp"
#include "result_seal.hpp"

namespace steper {

namespace layout = result_layout;

namespace {

// HDF5's reasons for a failed write name its internals; a full disk is the usual cause.
std::string space_note(const std::string& path) {
  struct statvfs disk {};
  const std::string folder = std::filesystem::path(path).parent_path().string();
  if (statvfs(folder.empty() ? "." : folder.c_str(), &disk) != 0) return "";
  const unsigned long long free_bytes = static_cast<unsigned long long>(disk.f_bavail) * disk.f_frsize;
  if (free_bytes >= (1ull << 20)) return "";
  return " (the file system holding it has " + std::to_string(free_bytes) + " bytes free)";
}

}  // namespace

struct ResultWriter::Impl {
  std::string final_path;
  std::string tmp_path;
  hdf5::Handle file;  // declared first: closed after the datasets below
  hdf5::Handle train_log_type;
  hdf5::Handle train_log;
  hsize_t train_log_rows = 0;
  hdf5::Handle pretrain_log;
  hsize_t pretrain_log_rows = 0;
  hdf5::Handle string_type;
  hdf5::Handle log;
  hsize_t log_rows = 0;
  bool metrics_written = false;
  bool predictions_written = false;
  bool trajectories_written = false;
  bool teacher_trajectories_written = false;
  bool committed = false;

  // Also runs when the constructor fails, so no half-made temporary file stays behind.
  ~Impl() {
    if (committed) return;
    log = {};
    train_log = {};
    pretrain_log = {};
    file = {};
    std::remove(tmp_path.c_str());
  }

  // Runs one write, turning an HDF5 failure into an error that names the file.
  template <class Write>
  void guarded(Write write) {
    if (committed) throw std::logic_error("result file '" + final_path + "' is already committed");
    try {
      write();
    } catch (const hdf5::Error& error) {
      throw std::runtime_error("cannot write result file '" + tmp_path + "': " + error.what() + space_note(tmp_path));
    } catch (const std::invalid_argument& error) {  // data that breaks the layout's promises
      throw std::runtime_error("cannot write result file '" + tmp_path + "': " + error.what());
    }
  }

  void flush() { hdf5::check(H5Fflush(file.get(), H5F_SCOPE_LOCAL), "flush the file to disk"); }
};

namespace {

void create_tmp_file(const std::string& tmp_path) {
  const std::filesystem::path folder = std::filesystem::path(tmp_path).parent_path();
  std::error_code error;
  if (!folder.empty()) std::filesystem::create_directories(folder, error);
  if (error) throw std::runtime_error("cannot write results folder '" + folder.string() + "': " + error.message());
  // fopen first, so that an unwritable folder reports the system's reason.
  std::FILE* probe = std::fopen(tmp_path.c_str(), "wb");
  if (probe == nullptr)
    throw std::runtime_error("cannot write results folder '" + folder.string() + "': cannot create '" + tmp_path +
                             "': " + std::strerror(errno));
  std::fclose(probe);
}

std::vector<std::int64_t> offsets_of(const std::vector<PredictionRow>& rows,
                                     std::vector<std::string> PredictionRow::*list, std::vector<std::string>& flat) {
  std::vector<std::int64_t> offsets = {0};
  for (const auto& row : rows) {
    flat.insert(flat.end(), (row.*list).begin(), (row.*list).end());
    offsets.push_back(static_cast<std::int64_t>(flat.size()));
  }
  return offsets;
}

// One trajectory group: a row per question, all steps one after another and all retrieved
// paragraphs one after another, joined by offsets (layout at the top of this file).
void write_trajectory_group(hid_t file, const std::string& group, const std::vector<Trajectory>& trajectories) {
  std::vector<layout::TrajectoryRecord> questions;
  std::vector<layout::StepRecord> steps;
  std::vector<std::int64_t> step_offsets = {0}, retrieved_offsets = {0};
  std::vector<std::string> retrieved_ids;
  std::vector<double> retrieved_scores;
  for (const auto& t : trajectories) {
    questions.push_back({hdf5::stored(t.question_id), hdf5::stored(t.answer), t.answer_found, hdf5::stored(t.end_reason)});
    for (const auto& step : t.steps) {
      if (step.scores.size() != step.paragraph_ids.size())
        throw std::invalid_argument("the trajectory of question '" + t.question_id + "' has a step with " +
                                    std::to_string(step.paragraph_ids.size()) + " paragraph ids and " +
                                    std::to_string(step.scores.size()) + " scores, expected one score per id");
      steps.push_back({hdf5::stored(step.query), step.prompt_tokens, hdf5::stored(step.generated)});
      retrieved_ids.insert(retrieved_ids.end(), step.paragraph_ids.begin(), step.paragraph_ids.end());
      retrieved_scores.insert(retrieved_scores.end(), step.scores.begin(), step.scores.end());
      retrieved_offsets.push_back(static_cast<std::int64_t>(retrieved_ids.size()));
    }
    step_offsets.push_back(static_cast<std::int64_t>(steps.size()));
  }
  const auto path = [&](const char* name) { return group + "/" + name; };
  const auto& names = layout::kTrajectoryPath;
  hdf5::create_group(file, group);
  const hdf5::Handle question_type = layout::trajectory_type();
  hdf5::write_records(file, path(names.questions), question_type.get(), questions.data(), questions.size());
  hdf5::write_int64s(file, path(names.step_offsets), step_offsets);
  const hdf5::Handle step_type = layout::step_type();
  hdf5::write_records(file, path(names.steps), step_type.get(), steps.data(), steps.size());
  hdf5::write_int64s(file, path(names.retrieved_offsets), retrieved_offsets);
  hdf5::write_strings(file, path(names.retrieved_ids), retrieved_ids);
  hdf5::write_doubles(file, path(names.retrieved_scores), retrieved_scores);
}

}  // namespace

ResultWriter::ResultWriter(const std::string& final_path) : impl_(std::make_unique<Impl>()) {
  hdf5::start_library();
  impl_->final_path = final_path;
  // A name of this process's own: a writer never truncates or deletes another's file.
  impl_->tmp_path = final_path + "." + std::to_string(::getpid()) + ".tmp";
  create_tmp_file(impl_->tmp_path);
  impl_->guarded([&] {
    const hdf5::Handle access = hdf5::file_access();
    const hdf5::Handle creation(H5Pcreate(H5P_FILE_CREATE), H5Pclose, "create a file creation property list");
    hdf5::check(H5Pset_userblock(creation.get(), kResultUserBlockBytes), "reserve the user block for the seal");
    impl_->file = hdf5::Handle(H5Fcreate(impl_->tmp_path.c_str(), H5F_ACC_TRUNC, creation.get(), access.get()),
                               H5Fclose, "create the HDF5 file");
    const hid_t root = impl_->file.get();
    hdf5::write_attribute(root, layout::kFormatAttribute, std::string(layout::kFormat));
    hdf5::write_attribute(root, layout::kFormatVersionAttribute, layout::kFormatVersion);
    impl_->train_log_type = layout::train_log_type();
    impl_->train_log =
        hdf5::create_extendible(root, layout::kPath.train_log, impl_->train_log_type.get(), layout::kTrainLogChunkRows);
    impl_->string_type = hdf5::utf8_string_type();
    impl_->log = hdf5::create_extendible(root, layout::kPath.log, impl_->string_type.get(), layout::kLogChunkRows);
    impl_->flush();
  });
}

ResultWriter::~ResultWriter() = default;

namespace {
layout::TrainLogRecord train_log_record(const TrainLogRow& row) {
  layout::TrainLogRecord record{row.step,         row.loss,         {}, {}, row.learning_rate,
                                row.tokens_per_s, row.dev_score,    row.seconds};
  std::copy(row.kind_loss.begin(), row.kind_loss.end(), record.kind_loss);
  std::copy(row.kind_weight.begin(), row.kind_weight.end(), record.kind_weight);
  return record;
}
}  // namespace

void ResultWriter::append_train_log(const TrainLogRow& row) {
  impl_->guarded([&] {
    const layout::TrainLogRecord record = train_log_record(row);
    hdf5::append_record(impl_->train_log.get(), impl_->train_log_type.get(), &record, impl_->train_log_rows);
    impl_->flush();
  });
}

void ResultWriter::append_pretrain_log(const TrainLogRow& row) {
  impl_->guarded([&] {
    if (impl_->pretrain_log.get() < 0)
      impl_->pretrain_log = hdf5::create_extendible(impl_->file.get(), layout::kPath.pretrain_log,
                                                    impl_->train_log_type.get(), layout::kTrainLogChunkRows);
    const layout::TrainLogRecord record = train_log_record(row);
    hdf5::append_record(impl_->pretrain_log.get(), impl_->train_log_type.get(), &record, impl_->pretrain_log_rows);
    impl_->flush();
  });
}

void ResultWriter::append_log_line(const std::string& line) {
  impl_->guarded([&] {
    const char* text = hdf5::stored(line);
    hdf5::append_record(impl_->log.get(), impl_->string_type.get(), &text, impl_->log_rows);
    impl_->flush();
  });
}

void ResultWriter::write_predictions(const std::vector<PredictionRow>& rows) {
  impl_->guarded([&] {
    std::vector<layout::PredictionRecord> records;
    records.reserve(rows.size());
    for (const auto& row : rows)
      records.push_back({hdf5::stored(row.question_id), hdf5::stored(row.prediction), row.em, row.f1, row.acc, row.steps});
    std::vector<std::string> golds, retrieved_ids;
    const auto golds_offsets = offsets_of(rows, &PredictionRow::golds, golds);
    const auto retrieved_offsets = offsets_of(rows, &PredictionRow::retrieved_ids, retrieved_ids);

    const hid_t root = impl_->file.get();
    hdf5::create_group(root, layout::kPath.predictions);
    const hdf5::Handle type = layout::prediction_type();
    hdf5::write_records(root, layout::kPath.prediction_table, type.get(), records.data(), records.size());
    hdf5::write_strings(root, layout::kPath.golds, golds);
    hdf5::write_int64s(root, layout::kPath.golds_offsets, golds_offsets);
    hdf5::write_strings(root, layout::kPath.retrieved_ids, retrieved_ids);
    hdf5::write_int64s(root, layout::kPath.retrieved_ids_offsets, retrieved_offsets);
    impl_->predictions_written = true;
  });
}

void ResultWriter::write_trajectories(const std::vector<Trajectory>& trajectories) {
  impl_->guarded([&] {
    write_trajectory_group(impl_->file.get(), layout::kPath.trajectories, trajectories);
    impl_->trajectories_written = true;
  });
}

void ResultWriter::write_teacher_trajectories(const std::vector<Trajectory>& trajectories,
                                              const std::vector<std::string>& filter) {
  impl_->guarded([&] {
    if (filter.size() != trajectories.size())
      throw std::invalid_argument(std::to_string(trajectories.size()) + " teacher trajectories with " +
                                  std::to_string(filter.size()) + " filter verdicts, expected one per trajectory");
    write_trajectory_group(impl_->file.get(), layout::kPath.teacher_trajectories, trajectories);
    hdf5::write_strings(impl_->file.get(), layout::kPath.teacher_filter, filter);
    impl_->teacher_trajectories_written = true;
  });
}

void ResultWriter::write_metrics(const Metrics& metrics) {
  impl_->guarded([&] {
    const hdf5::Handle group = hdf5::create_group(impl_->file.get(), layout::kPath.metrics);
    for (const auto& score : layout::kScoreAttributes)
      hdf5::write_attribute(group.get(), score.name, metrics.*score.field);
    for (const auto& count : layout::kCountAttributes)
      hdf5::write_attribute(group.get(), count.name, metrics.*count.field);
    for (const auto& count : layout::kLaterCountAttributes)
      hdf5::write_attribute(group.get(), count.name, metrics.*count.field);
    for (const auto& score : layout::kLaterScoreAttributes)
      hdf5::write_attribute(group.get(), score.name, metrics.*score.field);
    for (int kind = 0; kind < kStepKindCount; ++kind)
      hdf5::write_attribute(group.get(), layout::samples_attribute(kind), metrics.samples_per_kind[kind]);
    hdf5::write_doubles(impl_->file.get(), layout::kPath.recall_per_step, metrics.recall_per_step);
    hdf5::write_doubles(impl_->file.get(), layout::kPath.teacher_recall_per_step, metrics.teacher_recall_per_step);
    impl_->metrics_written = true;
  });
}

void ResultWriter::commit(const CellInfo& info) { commit_to(info, impl_->final_path); }

void ResultWriter::commit_to(const CellInfo& info, const std::string& path) {
  // A failed cell may stop before its metrics, predictions or trajectories; it still gets them, empty.
  if (!impl_->metrics_written) write_metrics(Metrics{});
  if (!impl_->predictions_written) write_predictions({});
  if (!impl_->trajectories_written) write_trajectories({});
  if (!impl_->teacher_trajectories_written) write_teacher_trajectories({}, {});
  impl_->guarded([&] {
    const hid_t root = impl_->file.get();
    for (const auto& attribute : layout::kInfoAttributes)
      hdf5::write_attribute(root, attribute.name, info.*attribute.field);
    hdf5::write_attribute(root, layout::kThreadsAttribute, static_cast<std::int64_t>(info.threads));
    hdf5::write_attribute(root, layout::kGridIndexAttribute, info.grid_index);
    hdf5::write_attribute(root, layout::kSeedAttribute, info.seed);
    hdf5::create_group(root, layout::kPath.config);
    hdf5::write_string(root, layout::kPath.cell_toml, info.config_toml);
    hdf5::write_string(root, layout::kPath.resolved_toml, info.resolved_toml);
    std::vector<layout::AxisRecord> axes;
    for (const auto& [key, value] : info.axes) axes.push_back({hdf5::stored(key), hdf5::stored(value)});
    const hdf5::Handle axis_type = layout::axis_type();
    hdf5::write_records(root, layout::kPath.axes, axis_type.get(), axes.data(), axes.size());

    impl_->log = {};
    impl_->train_log = {};
    impl_->pretrain_log = {};
    // HDF5 defers closing a file until its last object is closed, and would then write after
    // the seal: every object must be closed here.
    if (const ssize_t open = H5Fget_obj_count(root, H5F_OBJ_DATASET | H5F_OBJ_GROUP | H5F_OBJ_DATATYPE | H5F_OBJ_ATTR); open != 0)
      throw std::logic_error("result file '" + impl_->tmp_path + "': " + std::to_string(open) +
                             " HDF5 objects are still open at commit");
    impl_->file.close("close the file");
  });
  seal_result_file(impl_->tmp_path);
  if (std::rename(impl_->tmp_path.c_str(), path.c_str()) != 0)
    throw std::runtime_error("cannot move result file '" + impl_->tmp_path + "' to '" + path +
                             "': " + std::strerror(errno));
  impl_->committed = true;
}

}  // namespace steper
