// Reads the result files that result_writer.cpp writes: first that the file exists, is HDF5 and
// declares the format, then each part, naming the file and the missing part on any failure.
#include <algorithm>
#include <limits>
#include <filesystem>
#include <stdexcept>

#include "result_reader.hpp"
#include "result_layout.hpp"
#include "result_seal.hpp"

namespace steper {
namespace {

namespace layout = result_layout;

class Reader {
 public:
  Reader(std::string path, hid_t file) : path_(std::move(path)), file_(file) {}
  hid_t file() const { return file_; }

  // Returns the file's format version.
  std::int64_t check_format() const {
    require_attribute(file_, "/", layout::kFormatAttribute);
    const std::string format = hdf5::read_string_attribute(file_, layout::kFormatAttribute);
    if (format != layout::kFormat)
      throw std::runtime_error("result file '" + path_ + "' has format '" + format + "', expected '" + layout::kFormat +
                               "'");
    require_attribute(file_, "/", layout::kFormatVersionAttribute);
    const std::int64_t version = hdf5::read_int64_attribute(file_, layout::kFormatVersionAttribute);
    if (version < layout::kOldestReadableFormatVersion || version > layout::kFormatVersion)
      throw std::runtime_error("result file '" + path_ + "' has format_version " + std::to_string(version) +
                               ", expected " + std::to_string(layout::kOldestReadableFormatVersion) + " to " +
                               std::to_string(layout::kFormatVersion));
    return version;
  }

  CellInfo info() const {
    CellInfo info;
    for (const auto& attribute : layout::kInfoAttributes) {
      require_attribute(file_, "/", attribute.name);
      info.*attribute.field = hdf5::read_string_attribute(file_, attribute.name);
    }
    require_attribute(file_, "/", layout::kThreadsAttribute);
    info.threads = static_cast<int>(hdf5::read_int64_attribute(file_, layout::kThreadsAttribute));
    require_attribute(file_, "/", layout::kGridIndexAttribute);
    info.grid_index = hdf5::read_int64_attribute(file_, layout::kGridIndexAttribute);
    require_attribute(file_, "/", layout::kSeedAttribute);
    info.seed = hdf5::read_uint64_attribute(file_, layout::kSeedAttribute);
    info.config_toml = hdf5::read_string(file_, require(layout::kPath.cell_toml));
    info.resolved_toml = hdf5::read_string(file_, require(layout::kPath.resolved_toml));

    const hdf5::Handle axes = hdf5::open_dataset(file_, require(layout::kPath.axes));
    const hdf5::Handle type = layout::axis_type();
    std::vector<layout::AxisRecord> records(hdf5::dataset_rows(axes.get()));
    hdf5::read_records(axes.get(), type.get(), records.data());
    for (const auto& record : records) info.axes.emplace_back(text(record.key), text(record.value));
    hdf5::reclaim(type.get(), records.data(), records.size());
    return info;
  }

  Metrics metrics() const {
    const hdf5::Handle group = hdf5::open_group(file_, require(layout::kPath.metrics));
    Metrics metrics;
    for (const auto& score : layout::kScoreAttributes) {
      require_attribute(group.get(), layout::kPath.metrics, score.name);
      metrics.*score.field = hdf5::read_double_attribute(group.get(), score.name);
    }
    for (const auto& count : layout::kCountAttributes) {
      require_attribute(group.get(), layout::kPath.metrics, count.name);
      metrics.*count.field = hdf5::read_int64_attribute(group.get(), count.name);
    }
    for (const auto& count : layout::kLaterCountAttributes)
      if (hdf5::has_attribute(group.get(), count.name)) metrics.*count.field = hdf5::read_int64_attribute(group.get(), count.name);
    for (const auto& score : layout::kLaterScoreAttributes)
      if (hdf5::has_attribute(group.get(), score.name)) metrics.*score.field = hdf5::read_double_attribute(group.get(), score.name);
    for (int kind = 0; kind < kStepKindCount; ++kind) {
      const std::string name = layout::samples_attribute(kind);
      require_attribute(group.get(), layout::kPath.metrics, name);
      metrics.samples_per_kind[kind] = hdf5::read_int64_attribute(group.get(), name);
    }
    metrics.recall_per_step = hdf5::read_doubles(file_, require(layout::kPath.recall_per_step));
    metrics.teacher_recall_per_step = hdf5::read_doubles(file_, require(layout::kPath.teacher_recall_per_step));
    return metrics;
  }

  std::vector<PredictionRow> predictions() const {
    const hdf5::Handle table = hdf5::open_dataset(file_, require(layout::kPath.prediction_table));
    const hdf5::Handle type = layout::prediction_type();
    std::vector<layout::PredictionRecord> records(hdf5::dataset_rows(table.get()));
    hdf5::read_records(table.get(), type.get(), records.data());
    std::vector<PredictionRow> rows(records.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
      const auto& record = records[i];
      rows[i].question_id = text(record.question_id);
      rows[i].prediction = text(record.prediction);
      rows[i].em = record.em;
      rows[i].f1 = record.f1;
      rows[i].acc = record.acc;
      rows[i].steps = record.steps;
    }
    hdf5::reclaim(type.get(), records.data(), records.size());
    read_ragged(layout::kPath.golds, layout::kPath.golds_offsets, &PredictionRow::golds, rows);
    read_ragged(layout::kPath.retrieved_ids, layout::kPath.retrieved_ids_offsets, &PredictionRow::retrieved_ids, rows);
    return rows;
  }

  // The trajectory group at `group` (layout in result_writer.cpp).
  std::vector<Trajectory> trajectories(const std::string& group) const {
    const auto path = [&](const char* name) { return group + "/" + name; };
    const auto& names = layout::kTrajectoryPath;
    const hdf5::Handle question_type = layout::trajectory_type();
    const hdf5::Handle questions = hdf5::open_dataset(file_, require(path(names.questions)));
    std::vector<layout::TrajectoryRecord> question_records(hdf5::dataset_rows(questions.get()));
    hdf5::read_records(questions.get(), question_type.get(), question_records.data());
    std::vector<Trajectory> trajectories(question_records.size());
    for (std::size_t i = 0; i < question_records.size(); ++i) {
      trajectories[i].question_id = text(question_records[i].question_id);
      trajectories[i].answer = text(question_records[i].answer);
      trajectories[i].answer_found = question_records[i].answer_found != 0;
      trajectories[i].end_reason = text(question_records[i].end_reason);
    }
    hdf5::reclaim(question_type.get(), question_records.data(), question_records.size());

    const hdf5::Handle step_type = layout::step_type();
    const hdf5::Handle steps = hdf5::open_dataset(file_, require(path(names.steps)));
    std::vector<layout::StepRecord> step_records(hdf5::dataset_rows(steps.get()));
    hdf5::read_records(steps.get(), step_type.get(), step_records.data());
    std::vector<TrajectoryStep> all_steps(step_records.size());
    for (std::size_t j = 0; j < step_records.size(); ++j) {
      all_steps[j].query = text(step_records[j].query);
      all_steps[j].prompt_tokens = step_records[j].prompt_tokens;
      all_steps[j].generated = text(step_records[j].generated);
    }
    hdf5::reclaim(step_type.get(), step_records.data(), step_records.size());

    const auto ids = hdf5::read_strings(file_, require(path(names.retrieved_ids)));
    const auto scores = hdf5::read_doubles(file_, require(path(names.retrieved_scores)));
    if (scores.size() != ids.size())
      throw hdf5::Error("'" + path(names.retrieved_scores) + "' has " + std::to_string(scores.size()) +
                        " entries, expected " + std::to_string(ids.size()) + " (one per retrieved id)");
    const auto retrieved = checked_offsets(path(names.retrieved_offsets), all_steps.size(), ids.size());
    for (std::size_t j = 0; j < all_steps.size(); ++j) {
      all_steps[j].paragraph_ids.assign(ids.begin() + retrieved[j], ids.begin() + retrieved[j + 1]);
      all_steps[j].scores.assign(scores.begin() + retrieved[j], scores.begin() + retrieved[j + 1]);
    }
    const auto owned = checked_offsets(path(names.step_offsets), trajectories.size(), all_steps.size());
    for (std::size_t i = 0; i < trajectories.size(); ++i)
      trajectories[i].steps.assign(std::make_move_iterator(all_steps.begin() + owned[i]),
                                   std::make_move_iterator(all_steps.begin() + owned[i + 1]));
    return trajectories;
  }

  std::vector<std::string> teacher_filter(std::size_t trajectories) const {
    auto filter = hdf5::read_strings(file_, require(layout::kPath.teacher_filter));
    if (filter.size() != trajectories)
      throw hdf5::Error("'" + std::string(layout::kPath.teacher_filter) + "' has " + std::to_string(filter.size()) +
                        " entries, expected " + std::to_string(trajectories) + " (one per teacher trajectory)");
    return filter;
  }

  std::vector<TrainLogRow> train_log(const char* path) const {
    const hdf5::Handle dataset = hdf5::open_dataset(file_, require(path));
    const hdf5::Handle type = layout::train_log_type();
    layout::TrainLogRecord blank{};
    blank.dev_score = std::numeric_limits<double>::quiet_NaN();  // files of format 2 have no such column
    blank.seconds = std::numeric_limits<double>::quiet_NaN();    // nor earlier files of format 3
    std::vector<layout::TrainLogRecord> records(hdf5::dataset_rows(dataset.get()), blank);
    hdf5::read_records(dataset.get(), type.get(), records.data());
    std::vector<TrainLogRow> rows;
    rows.reserve(records.size());
    for (const auto& record : records) {
      TrainLogRow row{record.step,         record.loss,      {}, {}, record.learning_rate,
                      record.tokens_per_s, record.dev_score, record.seconds};
      std::copy(std::begin(record.kind_loss), std::end(record.kind_loss), row.kind_loss.begin());
      std::copy(std::begin(record.kind_weight), std::end(record.kind_weight), row.kind_weight.begin());
      rows.push_back(row);
    }
    return rows;
  }

  std::vector<std::string> log_lines() const { return hdf5::read_strings(file_, require(layout::kPath.log)); }

 private:
  static std::string text(const char* value) { return value != nullptr ? value : ""; }

  [[noreturn]] void lacks(const std::string& what) const {
    throw std::runtime_error("result file '" + path_ + "' lacks " + what +
                             " (not written by steper, or an older format)");
  }

  std::string require(const std::string& path) const {
    if (!hdf5::has_path(file_, path)) lacks("'" + path + "'");
    return path;
  }

  void require_attribute(hid_t object, const std::string& object_path, const std::string& name) const {
    if (!hdf5::has_attribute(object, name)) lacks("the attribute '" + name + "' of '" + object_path + "'");
  }

  // The rows + 1 offsets at `offsets_path` that cut `values` entries into one range per row:
  // from 0, never decreasing, to `values`.
  std::vector<std::int64_t> checked_offsets(const std::string& offsets_path, std::size_t rows,
                                            std::size_t values) const {
    const auto offsets = hdf5::read_int64s(file_, require(offsets_path));
    if (offsets.size() != rows + 1 || offsets.front() != 0 || offsets.back() != static_cast<std::int64_t>(values))
      throw hdf5::Error("'" + offsets_path + "' has " + std::to_string(offsets.size()) + " entries ending at " +
                        std::to_string(offsets.empty() ? 0 : offsets.back()) + ", expected " +
                        std::to_string(rows + 1) + " entries from 0 to " + std::to_string(values));
    for (std::size_t i = 0; i < rows; ++i)
      if (offsets[i] > offsets[i + 1])
        throw hdf5::Error("'" + offsets_path + "' decreases at entry " + std::to_string(i + 1));
    return offsets;
  }

  // Strings of all rows one after another plus rows + 1 offsets, into one list per row.
  void read_ragged(const char* values_path, const char* offsets_path, std::vector<std::string> PredictionRow::*list,
                   std::vector<PredictionRow>& rows) const {
    const auto values = hdf5::read_strings(file_, require(values_path));
    const auto offsets = checked_offsets(offsets_path, rows.size(), values.size());
    for (std::size_t i = 0; i < rows.size(); ++i)
      rows[i].*list = std::vector<std::string>(values.begin() + offsets[i], values.begin() + offsets[i + 1]);
  }

  std::string path_;
  hid_t file_;
};

}  // namespace

ResultFile read_result_file(const std::string& path, bool with_tables) {
  hdf5::start_library();
  std::error_code error;
  if (!std::filesystem::exists(path, error)) throw std::runtime_error("result file '" + path + "' does not exist");
  if (!std::filesystem::is_regular_file(path, error))
    throw std::runtime_error("result file '" + path + "' is not a regular file");
  const ResultSeal seal = check_result_seal(path);
  const htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
  if (is_hdf5 < 0) throw std::runtime_error("cannot read result file '" + path + "': " + hdf5::last_error());
  if (is_hdf5 == 0) throw std::runtime_error("result file '" + path + "' is not an HDF5 file");

  try {
    const hdf5::Handle access = hdf5::file_access();
    const hdf5::Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, access.get()), H5Fclose, "open the file");
    const Reader reader(path, file.get());
    const std::int64_t version = reader.check_format();
    if (version >= layout::kFirstSealedVersion && seal != ResultSeal::sealed)
      throw std::runtime_error("result file '" + path + "' has format_version " + std::to_string(version) +
                               " but no seal (its first 512 bytes were overwritten)");
    ResultFile result;
    result.path = path;
    result.format_version = version;
    result.info = reader.info();
    result.metrics = reader.metrics();
    if (with_tables) {
      result.predictions = reader.predictions();
      if (version >= layout::kFirstVersionWithTrajectories) {
        result.trajectories = reader.trajectories(layout::kPath.trajectories);
        result.teacher_trajectories = reader.trajectories(layout::kPath.teacher_trajectories);
        result.teacher_filter = reader.teacher_filter(result.teacher_trajectories.size());
      }
      result.train_log = reader.train_log(layout::kPath.train_log);
      if (hdf5::has_path(reader.file(), layout::kPath.pretrain_log))
        result.pretrain_log = reader.train_log(layout::kPath.pretrain_log);
      result.log_lines = reader.log_lines();
    }
    return result;
  } catch (const hdf5::Error& detail) {
    throw std::runtime_error("result file '" + path + "' is truncated or corrupt: " + detail.what());
  }
}

}  // namespace steper
