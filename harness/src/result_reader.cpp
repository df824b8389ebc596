// Reads the result files that result_file.cpp writes: first that the file exists, is HDF5 and
// declares the format, then each part, naming the file and the missing part on any failure.
#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "result_file.hpp"
#include "result_layout.hpp"

namespace steper {
namespace {

namespace layout = result_layout;

class Reader {
 public:
  Reader(std::string path, hid_t file) : path_(std::move(path)), file_(file) {}

  void check_format() const {
    require_attribute(file_, "/", layout::kFormatAttribute);
    const std::string format = hdf5::read_string_attribute(file_, layout::kFormatAttribute);
    if (format != layout::kFormat)
      throw std::runtime_error("result file '" + path_ + "' has format '" + format + "', expected '" + layout::kFormat +
                               "'");
    require_attribute(file_, "/", layout::kFormatVersionAttribute);
    const std::int64_t version = hdf5::read_int64_attribute(file_, layout::kFormatVersionAttribute);
    if (version != layout::kFormatVersion)
      throw std::runtime_error("result file '" + path_ + "' has format_version " + std::to_string(version) +
                               ", expected " + std::to_string(layout::kFormatVersion));
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

  std::vector<TrainLogRow> train_log() const {
    const hdf5::Handle dataset = hdf5::open_dataset(file_, require(layout::kPath.train_log));
    const hdf5::Handle type = layout::train_log_type();
    std::vector<layout::TrainLogRecord> records(hdf5::dataset_rows(dataset.get()));
    hdf5::read_records(dataset.get(), type.get(), records.data());
    std::vector<TrainLogRow> rows;
    rows.reserve(records.size());
    for (const auto& record : records) {
      TrainLogRow row{record.step, record.loss, {}, {}, record.learning_rate, record.tokens_per_s};
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

  const char* require(const char* path) const {
    if (!hdf5::has_path(file_, path)) lacks("'" + std::string(path) + "'");
    return path;
  }

  void require_attribute(hid_t object, const std::string& object_path, const std::string& name) const {
    if (!hdf5::has_attribute(object, name)) lacks("the attribute '" + name + "' of '" + object_path + "'");
  }

  // Strings of all rows one after another plus rows + 1 offsets, into one list per row.
  void read_ragged(const char* values_path, const char* offsets_path, std::vector<std::string> PredictionRow::*list,
                   std::vector<PredictionRow>& rows) const {
    const auto values = hdf5::read_strings(file_, require(values_path));
    const auto offsets = hdf5::read_int64s(file_, require(offsets_path));
    if (offsets.size() != rows.size() + 1 || offsets.front() != 0 ||
        offsets.back() != static_cast<std::int64_t>(values.size()))
      throw hdf5::Error("'" + std::string(offsets_path) + "' has " + std::to_string(offsets.size()) +
                        " entries ending at " + std::to_string(offsets.back()) + ", expected " +
                        std::to_string(rows.size() + 1) + " entries from 0 to " + std::to_string(values.size()));
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (offsets[i] > offsets[i + 1])
        throw hdf5::Error("'" + std::string(offsets_path) + "' decreases at entry " + std::to_string(i + 1));
      rows[i].*list = std::vector<std::string>(values.begin() + offsets[i], values.begin() + offsets[i + 1]);
    }
  }

  std::string path_;
  hid_t file_;
};

}  // namespace

ResultFile read_result_file(const std::string& path, bool with_tables) {
  hdf5::silence_errors();
  std::error_code error;
  if (!std::filesystem::exists(path, error)) throw std::runtime_error("result file '" + path + "' does not exist");
  if (!std::filesystem::is_regular_file(path, error))
    throw std::runtime_error("result file '" + path + "' is not a regular file");
  const htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
  if (is_hdf5 < 0) throw std::runtime_error("cannot read result file '" + path + "': " + hdf5::last_error());
  if (is_hdf5 == 0) throw std::runtime_error("result file '" + path + "' is not an HDF5 file");

  try {
    const hdf5::Handle access = hdf5::file_access();
    const hdf5::Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, access.get()), H5Fclose, "open the file");
    const Reader reader(path, file.get());
    reader.check_format();
    ResultFile result;
    result.path = path;
    result.info = reader.info();
    result.metrics = reader.metrics();
    if (with_tables) {
      result.predictions = reader.predictions();
      result.train_log = reader.train_log();
      result.log_lines = reader.log_lines();
    }
    return result;
  } catch (const hdf5::Error& detail) {
    throw std::runtime_error("result file '" + path + "' is truncated or corrupt: " + detail.what());
  }
}

}  // namespace steper
