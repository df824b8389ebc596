// Result files: a full round trip, the temporary-name-then-rename promise, and one clear error
// for each kind of bad file; plus h5dump and h5py reading what the writer wrote.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "result_reader.hpp"
#include "result_writer.hpp"
#include "result_hdf5.hpp"
#include "result_inspect.hpp"
#include "result_seal.hpp"

namespace steper {
namespace {

namespace fs = std::filesystem;

class ResultFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    folder_ = fs::temp_directory_path() / ("steper-result-" + std::to_string(getpid()) + "-" + test->name());
    fs::remove_all(folder_);
    fs::create_directories(folder_);
  }
  void TearDown() override { fs::remove_all(folder_); }

  std::string path(const std::string& name) const { return (folder_ / name).string(); }

  fs::path folder_;
};

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  return "no error";
}

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }
bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

CellInfo sample_info() {
  CellInfo info;
  info.experiment = "ablation — σ weights";
  info.cell_id = "0123456789abcdef";
  info.config_toml = "[loss]\nname = \"steper\"\n# “quoted” ünïcode\n";
  info.resolved_toml = "[loss]\nname = \"steper\"\nsigma_init = 1.0\n";
  info.axes = {{"loss.name", "\"steper\""}, {"seed", "7"}};
  info.code_version = "v0.1.0-3-gabc1234";
  info.host = "node-17";
  info.threads = 16;
  info.seed = 18446744073709551615ull;
  info.started_at = "2025-01-02T03:04:05Z";
  info.finished_at = "2025-01-02T04:05:06Z";
  info.status = "complete";
  return info;
}

Metrics sample_metrics() {
  Metrics metrics;
  metrics.em = 41.5;
  metrics.f1 = 52.25;
  metrics.acc = 47.0;
  metrics.questions = 200;
  metrics.student_parameters = 3'700'000;
  metrics.teacher_trajectories = 1000;
  metrics.teacher_kept = 640;
  metrics.samples_per_kind = {640, 1210, 640};
  metrics.ability_initialization = 80.0;
  metrics.ability_aggregation = 62.5;  // expansion stays NaN: no question had a middle hop
  metrics.ended_error = 2;
  metrics.teacher_filtered_wrong = 300;
  metrics.teacher_filtered_bridge = 60;
  metrics.recall_per_step = {40.0, 75.5};
  metrics.teacher_recall_per_step = {38.0, 70.0, 71.25};
  return metrics;
}

std::vector<PredictionRow> sample_predictions() {
  return {
      {"q1", "Paris", {"Paris", "City of Light"}, 1, 1, 1, 2, {"p3", "p9", "p1"}},
      {"q2", "Björk Guðmundsdóttir", {"Björk"}, 0, 0.5, 1, 3, {}},
      {"q3", "", {}, 0, 0, 0, 0, {"東京-12"}},
  };
}

// One per prediction: two steps (the second retrieved nothing), unicode text, and a question
// that ended in an error before its first step.
std::vector<Trajectory> sample_trajectories() {
  return {
      {"q1",
       {{"Where is the Eiffel Tower?", {"p3", "p9"}, {12.5, 7.25}, 412, "The Eiffel Tower is in Paris."},
        {"Paris", {}, {}, 530, "So the answer is: Paris."}},
       "Paris",
       true,
       "answer"},
      {"q2", {{"Wer ist „Björk“? 東京", {"東京-12"}, {-0.5}, 77, "Björk Guðmundsdóttir — a singer ♪"}},
       "Björk Guðmundsdóttir", false, "step_cap"},
      {"q3", {}, "", false, "error: model 'llama' ran out of memory"},
  };
}

std::vector<Trajectory> sample_teacher_trajectories() {
  return {
      {"t1", {{"Who founded X?", {"p1"}, {3.0}, 90, "X was founded by Y."}}, "Y", true, "answer"},
      {"t2", {{"Who founded Z?", {"p2", "p4"}, {2.0, 1.0}, 95, "So the answer is: W."}}, "W", true, "answer"},
  };
}
const std::vector<std::string> kTeacherFilter = {"kept", "wrong_answer"};

void expect_same_trajectories(const std::vector<Trajectory>& expected, const std::vector<Trajectory>& actual) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE("trajectory " + std::to_string(i));
    EXPECT_EQ(actual[i].question_id, expected[i].question_id);
    EXPECT_EQ(actual[i].answer, expected[i].answer);
    EXPECT_EQ(actual[i].answer_found, expected[i].answer_found);
    EXPECT_EQ(actual[i].end_reason, expected[i].end_reason);
    ASSERT_EQ(actual[i].steps.size(), expected[i].steps.size());
    for (std::size_t s = 0; s < expected[i].steps.size(); ++s) {
      SCOPED_TRACE("step " + std::to_string(s));
      EXPECT_EQ(actual[i].steps[s].query, expected[i].steps[s].query);
      EXPECT_EQ(actual[i].steps[s].paragraph_ids, expected[i].steps[s].paragraph_ids);
      EXPECT_EQ(actual[i].steps[s].scores, expected[i].steps[s].scores);
      EXPECT_EQ(actual[i].steps[s].prompt_tokens, expected[i].steps[s].prompt_tokens);
      EXPECT_EQ(actual[i].steps[s].generated, expected[i].steps[s].generated);
    }
  }
}

TrainLogRow train_row(std::int64_t step) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  return {step, 3.0 / (step + 1), {1.0 + step, step % 2 == 0 ? nan : 2.0, 0.5}, {0.1, 0.2, 0.3 + step}, 1e-4, 1234.5,
          nan, 0.25 * step};
}

void write_sample(const std::string& final_path, int train_rows) {
  ResultWriter writer(final_path);
  for (int step = 0; step < train_rows; ++step) writer.append_train_log(train_row(step));
  writer.append_log_line("loaded 200 questions");
  writer.append_log_line("σ_final → 0.8 «done»");
  writer.write_teacher_trajectories(sample_teacher_trajectories(), kTeacherFilter);
  writer.write_predictions(sample_predictions());
  writer.write_trajectories(sample_trajectories());
  writer.write_metrics(sample_metrics());
  writer.commit(sample_info());
}

// Opens a written file to damage or age it the way a test needs, then seals it again, as a
// crafted file would be: what the reader checks beyond the seal is tested on it.
void edit_file(const std::string& file, const std::function<void(hid_t)>& edit) {
  hdf5::start_library();
  {
    const hdf5::Handle handle(H5Fopen(file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose, "open a test file");
    edit(handle.get());
  }
  seal_result_file(file);
}

void set_format_version(hid_t file, std::int64_t version) {
  hdf5::check(H5Adelete(file, "format_version"), "delete format_version");
  hdf5::write_attribute(file, "format_version", version);
}

void expect_same(double expected, double actual) {
  if (std::isnan(expected)) {
    EXPECT_TRUE(std::isnan(actual));
  } else {
    EXPECT_EQ(expected, actual);
  }
}

TEST_F(ResultFileTest, RoundTripsEverything) {
  const int train_rows = 1000;
  write_sample(path("cell.h5"), train_rows);
  const ResultFile result = read_result_file(path("cell.h5"));

  const CellInfo info = sample_info();
  EXPECT_EQ(result.path, path("cell.h5"));
  EXPECT_EQ(result.info.experiment, info.experiment);
  EXPECT_EQ(result.info.cell_id, info.cell_id);
  EXPECT_EQ(result.info.config_toml, info.config_toml);
  EXPECT_EQ(result.info.resolved_toml, info.resolved_toml);
  EXPECT_EQ(result.info.axes, info.axes);
  EXPECT_EQ(result.info.code_version, info.code_version);
  EXPECT_EQ(result.info.host, info.host);
  EXPECT_EQ(result.info.threads, info.threads);
  EXPECT_EQ(result.info.seed, info.seed);
  EXPECT_EQ(result.info.started_at, info.started_at);
  EXPECT_EQ(result.info.finished_at, info.finished_at);
  EXPECT_EQ(result.info.status, "complete");
  EXPECT_EQ(result.info.error, "");

  const Metrics metrics = sample_metrics();
  EXPECT_EQ(result.metrics.em, metrics.em);
  EXPECT_EQ(result.metrics.f1, metrics.f1);
  EXPECT_EQ(result.metrics.acc, metrics.acc);
  EXPECT_EQ(result.metrics.questions, metrics.questions);
  EXPECT_EQ(result.metrics.student_parameters, metrics.student_parameters);
  EXPECT_EQ(result.metrics.teacher_trajectories, metrics.teacher_trajectories);
  EXPECT_EQ(result.metrics.teacher_kept, metrics.teacher_kept);
  EXPECT_EQ(result.metrics.samples_per_kind, metrics.samples_per_kind);
  EXPECT_EQ(result.metrics.ability_initialization, metrics.ability_initialization);
  EXPECT_TRUE(std::isnan(result.metrics.ability_expansion));
  EXPECT_EQ(result.metrics.ability_aggregation, metrics.ability_aggregation);
  EXPECT_EQ(result.metrics.ended_error, metrics.ended_error);
  EXPECT_EQ(result.metrics.teacher_filtered_wrong, metrics.teacher_filtered_wrong);
  EXPECT_EQ(result.metrics.teacher_filtered_bridge, metrics.teacher_filtered_bridge);
  EXPECT_EQ(result.metrics.recall_per_step, metrics.recall_per_step);
  EXPECT_EQ(result.metrics.teacher_recall_per_step, metrics.teacher_recall_per_step);

  const auto predictions = sample_predictions();
  ASSERT_EQ(result.predictions.size(), predictions.size());
  for (std::size_t i = 0; i < predictions.size(); ++i) {
    SCOPED_TRACE("prediction " + std::to_string(i));
    EXPECT_EQ(result.predictions[i].question_id, predictions[i].question_id);
    EXPECT_EQ(result.predictions[i].prediction, predictions[i].prediction);
    EXPECT_EQ(result.predictions[i].golds, predictions[i].golds);
    EXPECT_EQ(result.predictions[i].em, predictions[i].em);
    EXPECT_EQ(result.predictions[i].f1, predictions[i].f1);
    EXPECT_EQ(result.predictions[i].acc, predictions[i].acc);
    EXPECT_EQ(result.predictions[i].steps, predictions[i].steps);
    EXPECT_EQ(result.predictions[i].retrieved_ids, predictions[i].retrieved_ids);
  }

  ASSERT_EQ(result.train_log.size(), static_cast<std::size_t>(train_rows));
  for (int step : {0, 1, 255, 256, 999}) {
    SCOPED_TRACE("train log step " + std::to_string(step));
    const TrainLogRow expected = train_row(step);
    const TrainLogRow& actual = result.train_log[step];
    EXPECT_EQ(actual.step, expected.step);
    EXPECT_EQ(actual.loss, expected.loss);
    for (int kind = 0; kind < kStepKindCount; ++kind) {
      expect_same(expected.kind_loss[kind], actual.kind_loss[kind]);
      EXPECT_EQ(actual.kind_weight[kind], expected.kind_weight[kind]);
    }
    EXPECT_EQ(actual.learning_rate, expected.learning_rate);
    EXPECT_EQ(actual.tokens_per_s, expected.tokens_per_s);
    EXPECT_EQ(actual.seconds, expected.seconds);
  }
  EXPECT_EQ(result.log_lines, (std::vector<std::string>{"loaded 200 questions", "σ_final → 0.8 «done»"}));
  EXPECT_FALSE(fs::exists(path("cell.h5." + std::to_string(::getpid()) + ".tmp")));

  EXPECT_EQ(result.format_version, 4);
  {
    SCOPED_TRACE("evaluated trajectories");
    expect_same_trajectories(sample_trajectories(), result.trajectories);
  }
  {
    SCOPED_TRACE("teacher trajectories");
    expect_same_trajectories(sample_teacher_trajectories(), result.teacher_trajectories);
  }
  EXPECT_EQ(result.teacher_filter, kTeacherFilter);
}

// The pretraining log's dataset stayed open at commit, so HDF5 closed the file only when the
// writer went away and wrote after the seal: every cell that pretrained read as damaged.
TEST_F(ResultFileTest, APretrainingLogIsClosedBeforeTheSeal) {
  {
    ResultWriter writer(path("cell.h5"));
    for (int step = 0; step < 3; ++step) writer.append_pretrain_log(train_row(step));
    writer.append_train_log(train_row(0));
    writer.commit(sample_info());
  }
  const ResultFile result = read_result_file(path("cell.h5"), /*with_tables=*/true);
  ASSERT_EQ(result.pretrain_log.size(), 3u);
  EXPECT_EQ(result.pretrain_log[2].step, train_row(2).step);
}

TEST_F(ResultFileTest, WithoutTablesSkipsPredictionsAndLogs) {
  write_sample(path("cell.h5"), 3);
  const ResultFile result = read_result_file(path("cell.h5"), /*with_tables=*/false);
  EXPECT_EQ(result.metrics.em, 41.5);
  EXPECT_EQ(result.info.cell_id, "0123456789abcdef");
  EXPECT_TRUE(result.predictions.empty());
  EXPECT_TRUE(result.trajectories.empty());
  EXPECT_TRUE(result.teacher_trajectories.empty());
  EXPECT_TRUE(result.train_log.empty());
  EXPECT_TRUE(result.log_lines.empty());
}

TEST_F(ResultFileTest, FailedCellWithEmptyTablesRoundTrips) {
  CellInfo info = sample_info();
  info.status = "failed";
  info.error = "model 'llama' could not load 'weights.safetensors': no such file";
  info.axes.clear();
  info.config_toml.clear();
  {
    ResultWriter writer(path("failed.h5"));
    writer.commit(info);
  }
  const ResultFile result = read_result_file(path("failed.h5"));
  EXPECT_EQ(result.info.status, "failed");
  EXPECT_EQ(result.info.error, info.error);
  EXPECT_TRUE(result.info.axes.empty());
  EXPECT_EQ(result.info.config_toml, "");
  EXPECT_EQ(result.metrics.em, 0.0);
  EXPECT_EQ(result.metrics.questions, 0);
  EXPECT_TRUE(result.predictions.empty());
  EXPECT_TRUE(result.trajectories.empty());
  EXPECT_TRUE(result.teacher_trajectories.empty());
  EXPECT_TRUE(result.train_log.empty());
  EXPECT_TRUE(result.log_lines.empty());
}

TEST_F(ResultFileTest, WriterCreatesMissingParentFolders) {
  write_sample(path("a/b/c/cell.h5"), 1);
  EXPECT_EQ(read_result_file(path("a/b/c/cell.h5")).train_log.size(), 1u);
}

TEST_F(ResultFileTest, UncommittedWriterLeavesNoFile) {
  {
    ResultWriter writer(path("cell.h5"));
    writer.append_train_log(train_row(0));
    writer.write_metrics(sample_metrics());
    EXPECT_TRUE(fs::exists(path("cell.h5." + std::to_string(::getpid()) + ".tmp")));
    EXPECT_FALSE(fs::exists(path("cell.h5")));
  }
  EXPECT_FALSE(fs::exists(path("cell.h5." + std::to_string(::getpid()) + ".tmp")));
  EXPECT_FALSE(fs::exists(path("cell.h5")));
}

TEST_F(ResultFileTest, UncommittedWriterKeepsAnExistingFileUntouched) {
  write_sample(path("cell.h5"), 2);
  const auto size_before = fs::file_size(path("cell.h5"));
  const auto time_before = fs::last_write_time(path("cell.h5"));
  {
    ResultWriter writer(path("cell.h5"));
    writer.append_train_log(train_row(0));
    writer.append_log_line("this run dies before commit");
  }
  EXPECT_FALSE(fs::exists(path("cell.h5." + std::to_string(::getpid()) + ".tmp")));
  EXPECT_EQ(fs::file_size(path("cell.h5")), size_before);
  EXPECT_EQ(fs::last_write_time(path("cell.h5")), time_before);
  EXPECT_EQ(read_result_file(path("cell.h5")).train_log.size(), 2u);
}

TEST_F(ResultFileTest, CommitReplacesAnExistingFile) {
  write_sample(path("cell.h5"), 2);
  {
    ResultWriter writer(path("cell.h5"));
    CellInfo info = sample_info();
    info.cell_id = "fedcba9876543210";
    writer.commit(info);
  }
  const ResultFile result = read_result_file(path("cell.h5"));
  EXPECT_EQ(result.info.cell_id, "fedcba9876543210");
  EXPECT_TRUE(result.train_log.empty());
}

TEST_F(ResultFileTest, UnwritableFolderIsAClearError) {
  { std::ofstream(path("plain-file")) << "not a folder"; }
  const std::string folder = path("plain-file") + "/results";
  EXPECT_EQ(error_of([&] { ResultWriter writer(folder + "/cell.h5"); }),
            "cannot write results folder '" + folder + "': Not a directory");
  EXPECT_EQ(error_of([] { ResultWriter writer("/dev/null/x/cell.h5"); }),
            "cannot write results folder '/dev/null/x': Not a directory");
}

TEST_F(ResultFileTest, MissingFileIsAClearError) {
  EXPECT_EQ(error_of([&] { read_result_file(path("nothing.h5")); }),
            "result file '" + path("nothing.h5") + "' does not exist");
}

TEST_F(ResultFileTest, NonHdf5FileIsAClearError) {
  { std::ofstream(path("notes.h5")) << "these are notes, not HDF5\n"; }
  EXPECT_EQ(error_of([&] { read_result_file(path("notes.h5")); }),
            "result file '" + path("notes.h5") + "' is not an HDF5 file");
}

TEST_F(ResultFileTest, TruncatedOrExtendedFileIsRefusedByItsSeal) {
  write_sample(path("cell.h5"), 500);
  const auto size = fs::file_size(path("cell.h5"));
  const std::string rest = std::to_string(size - kResultUserBlockBytes);
  fs::resize_file(path("cell.h5"), size / 2);
  EXPECT_EQ(error_of([&] { read_result_file(path("cell.h5")); }),
            "result file '" + path("cell.h5") + "' is damaged: it holds " + std::to_string(size / 2 - kResultUserBlockBytes) +
                " bytes after its seal, which says " + rest +
                " (cut short or appended to); run its cell again (steper run --cell <id> --force)");
  write_sample(path("cell.h5"), 500);
  { std::ofstream(path("cell.h5"), std::ios::app) << "x"; }
  EXPECT_TRUE(contains(error_of([&] { read_result_file(path("cell.h5")); }), "is damaged: it holds")) << path("cell.h5");
}

// Flipped bytes anywhere (seal, superblock, object headers, heaps, raw data) are refused by the
// seal before libhdf5 parses the file; without it about 1 in 8 such files crashed inside libhdf5.
TEST_F(ResultFileTest, FlippedBytesAnywhereAreRefusedByTheSeal) {
  write_sample(path("good.h5"), 50);
  std::string bytes;
  {
    std::ifstream in(path("good.h5"), std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::mt19937_64 random(7);
  for (int mutant = 0; mutant < 200; ++mutant) {
    std::string damaged = bytes;
    const std::size_t at = mutant < 100 ? random() % kResultUserBlockBytes + (mutant % 2) * kResultUserBlockBytes
                                        : random() % damaged.size();
    damaged[at] = static_cast<char>(damaged[at] ^ (1 + random() % 255));
    { std::ofstream(path("cell.h5"), std::ios::binary | std::ios::trunc) << damaged; }
    const std::string message = error_of([&] { read_result_file(path("cell.h5")); });
    EXPECT_TRUE(contains(message, "' is damaged: ") || contains(message, "' is not an HDF5 file"))
        << "byte " << at << ": " << message;
  }
}

TEST_F(ResultFileTest, AFormat4FileWithoutItsSealIsRefused) {
  hdf5::start_library();
  {
    const hdf5::Handle file(H5Fcreate(path("unsealed.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
                            "create a test file");
    hdf5::write_attribute(file.get(), "format", std::string("steper-result"));
    hdf5::write_attribute(file.get(), "format_version", std::int64_t{4});
  }
  EXPECT_EQ(error_of([&] { read_result_file(path("unsealed.h5")); }),
            "result file '" + path("unsealed.h5") + "' has format_version 4 but no seal (its first 512 bytes were overwritten)");
}

TEST_F(ResultFileTest, Hdf5FileFromElsewhereIsAClearError) {
  hdf5::start_library();
  {
    const hdf5::Handle file(H5Fcreate(path("other.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
                            "create a test file");
    hdf5::write_strings(file.get(), "/data", {"x"});
  }
  EXPECT_EQ(error_of([&] { read_result_file(path("other.h5")); }),
            "result file '" + path("other.h5") +
                "' lacks the attribute 'format' of '/' (not written by steper, or an older format)");
}

TEST_F(ResultFileTest, FileWithoutMetricsIsAClearError) {
  write_sample(path("cell.h5"), 1);
  edit_file(path("cell.h5"), [](hid_t file) { hdf5::check(H5Ldelete(file, "/metrics", H5P_DEFAULT), "delete /metrics"); });
  EXPECT_EQ(error_of([&] { read_result_file(path("cell.h5")); }),
            "result file '" + path("cell.h5") + "' lacks '/metrics' (not written by steper, or an older format)");
}

// A hostile file may hold an array where one value belongs; reading it into one value would
// overwrite the reader's stack.
void write_array_attribute(hid_t object, const char* name, hid_t type) {
  hdf5::check(H5Adelete(object, name), std::string("delete ") + name);
  const hsize_t values = 1000;
  const hdf5::Handle space(H5Screate_simple(1, &values, nullptr), H5Sclose, "create a dataspace");
  const hdf5::Handle attribute(H5Acreate2(object, name, type, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                               "create an array attribute");
}

TEST_F(ResultFileTest, ArrayWhereOneValueBelongsIsAClearError) {
  const hdf5::Handle text = hdf5::utf8_string_type();
  const std::pair<const char*, hid_t> attributes[] = {
      {"status", text.get()}, {"format_version", H5T_NATIVE_INT64}, {"threads", H5T_NATIVE_INT64}};
  for (const auto& attribute : attributes) {
    const char* name = attribute.first;  // a structured binding cannot be captured under clang 14
    write_sample(path("cell.h5"), 1);
    edit_file(path("cell.h5"), [&](hid_t file) { write_array_attribute(file, name, attribute.second); });
    EXPECT_EQ(error_of([&] { read_result_file(path("cell.h5")); }),
              "result file '" + path("cell.h5") + "' is truncated or corrupt: attribute '" + name +
                  "' holds 1000 values, expected one");
  }
  write_sample(path("cell.h5"), 1);
  edit_file(path("cell.h5"), [&](hid_t file) {
    hdf5::check(H5Ldelete(file, "/config/cell_toml", H5P_DEFAULT), "delete /config/cell_toml");
    hdf5::write_strings(file, "/config/cell_toml", std::vector<std::string>(4096, "x"));
  });
  EXPECT_EQ(error_of([&] { read_result_file(path("cell.h5")); }),
            "result file '" + path("cell.h5") + "' is truncated or corrupt: '/config/cell_toml' holds 4096 values, "
            "expected one");
  write_sample(path("cell.h5"), 1);
  edit_file(path("cell.h5"), [&](hid_t file) {
    hdf5::check(H5Adelete(file, "status"), "delete status");
    hdf5::write_attribute(file, "status", 2.5);
  });
  EXPECT_EQ(error_of([&] { read_result_file(path("cell.h5")); }),
            "result file '" + path("cell.h5") + "' is truncated or corrupt: attribute 'status' is not a "
            "variable-length string");
}

TEST_F(ResultFileTest, RowsDeclaredButNotStoredAreAClearError) {
  write_sample(path("cell.h5"), 1);
  edit_file(path("cell.h5"), [&](hid_t file) {
    hdf5::check(H5Ldelete(file, "/predictions/golds", H5P_DEFAULT), "delete golds");
    const hdf5::Handle golds =
        hdf5::create_extendible(file, "/predictions/golds", hdf5::utf8_string_type().get(), 1024);
    const hsize_t rows = 300000000;
    hdf5::check(H5Dset_extent(golds.get(), &rows), "declare 3e8 rows");
  });
  const std::string message = error_of([&] { read_result_file(path("cell.h5")); });
  EXPECT_EQ(message, "result file '" + path("cell.h5") + "' is truncated or corrupt: '/predictions/golds' declares "
                     "300000000 rows of 8 bytes but stores 0 bytes");
  EXPECT_LT(fs::file_size(path("cell.h5")), 1u << 20);
}

// A crafted file's rows may all point at one long stored string; reading would then allocate
// it once per row. The text a dataset holds is measured against its file before it is read.
TEST_F(ResultFileTest, RowsSharingOneStoredTextAreRefused) {
  write_sample(path("cell.h5"), 1);
  const std::string long_gold(1 << 20, 'x');
  std::size_t rows = 0;
  haddr_t address = HADDR_UNDEF;
  edit_file(path("cell.h5"), [&](hid_t file) {
    rows = hdf5::read_strings(file, "/predictions/golds").size();
    std::vector<std::string> golds(rows, "a");
    golds[0] = long_gold;
    hdf5::check(H5Ldelete(file, "/predictions/golds", H5P_DEFAULT), "delete golds");
    hdf5::write_strings(file, "/predictions/golds", golds);
    address = H5Dget_offset(hdf5::open_dataset(file, "/predictions/golds").get());
  });
  ASSERT_GE(rows, 3u);
  ASSERT_NE(address, HADDR_UNDEF);
  {  // each row's reference (length, heap collection, object: 16 bytes) made the first row's
    std::fstream bytes(path("cell.h5"), std::ios::in | std::ios::out | std::ios::binary);
    const auto start = static_cast<std::streamoff>(address);  // from the file's start, user block included
    char reference[16];
    bytes.seekg(start);
    bytes.read(reference, sizeof reference);
    ASSERT_EQ(std::string(reference, 4), std::string("\0\0\x10\0", 4));  // the length, little-endian
    for (std::size_t row = 1; row < rows; ++row) {
      bytes.seekp(start + static_cast<std::streamoff>(16 * row));
      bytes.write(reference, sizeof reference);
    }
  }
  seal_result_file(path("cell.h5"));
  const std::string message = error_of([&] { read_result_file(path("cell.h5"), /*with_tables=*/true); });
  EXPECT_NE(message.find("'/predictions/golds' holds "), std::string::npos) << message;
  EXPECT_NE(message.find(" bytes: its rows share stored text"), std::string::npos) << message;
}

TEST_F(ResultFileTest, TextHoldingANulByteIsRefusedNotCut) {
  std::vector<Trajectory> trajectories = sample_trajectories();
  trajectories[0].steps[0].generated = std::string("The Eiffel\0 Tower", 18);
  ResultWriter writer(path("cell.h5"));
  const std::string message = error_of([&] { writer.write_trajectories(trajectories); });
  EXPECT_TRUE(starts_with(message, "cannot write result file '" + path("cell.h5"))) << message;
  EXPECT_NE(message.find(": cannot store a text holding a NUL byte at offset 10 (it would be cut there): \"The Eiffel\""),
            std::string::npos)
      << message;
}

TEST_F(ResultFileTest, OtherFormatVersionIsAClearError) {
  for (const std::int64_t version : {1, 5}) {
    write_sample(path("cell.h5"), 1);
    edit_file(path("cell.h5"), [&](hid_t file) { set_format_version(file, version); });
    EXPECT_EQ(error_of([&] { read_result_file(path("cell.h5")); }),
              "result file '" + path("cell.h5") + "' has format_version " + std::to_string(version) +
                  ", expected 2 to 4");
  }
}

// A format 2 file is a format 3 (and 4) file without the trajectory groups.
TEST_F(ResultFileTest, FormatVersion2ReadsWithoutTrajectories) {
  write_sample(path("cell.h5"), 2);
  edit_file(path("cell.h5"), [](hid_t file) {
    hdf5::check(H5Ldelete(file, "/trajectories", H5P_DEFAULT), "delete /trajectories");
    hdf5::check(H5Ldelete(file, "/teacher_trajectories", H5P_DEFAULT), "delete /teacher_trajectories");
    hdf5::check(H5Adelete_by_name(file, "/metrics", "student_parameters", H5P_DEFAULT), "delete student_parameters");
    set_format_version(file, 2);
  });
  const ResultFile result = read_result_file(path("cell.h5"));
  EXPECT_EQ(result.format_version, 2);
  EXPECT_EQ(result.metrics.em, 41.5);
  EXPECT_EQ(result.metrics.student_parameters, 0);
  EXPECT_EQ(result.predictions.size(), 3u);
  EXPECT_EQ(result.train_log.size(), 2u);
  EXPECT_TRUE(result.trajectories.empty());
  EXPECT_TRUE(result.teacher_trajectories.empty());
  EXPECT_TRUE(result.teacher_filter.empty());
  std::ostringstream out;
  EXPECT_EQ(error_of([&] { inspect_result_file(path("cell.h5"), "q1", out); }),
            "result file '" + path("cell.h5") +
                "' has format_version 2, which stores no trajectories: rerun its cell with --force to write format 4");
}

TEST_F(ResultFileTest, MissingOrInconsistentTrajectoryPartsAreClearErrors) {
  write_sample(path("no-steps.h5"), 1);
  edit_file(path("no-steps.h5"), [](hid_t file) {
    hdf5::check(H5Ldelete(file, "/trajectories/steps", H5P_DEFAULT), "delete /trajectories/steps");
  });
  EXPECT_EQ(error_of([&] { read_result_file(path("no-steps.h5")); }),
            "result file '" + path("no-steps.h5") +
                "' lacks '/trajectories/steps' (not written by steper, or an older format)");

  write_sample(path("offsets.h5"), 1);
  edit_file(path("offsets.h5"), [](hid_t file) {
    hdf5::check(H5Ldelete(file, "/teacher_trajectories/step_offsets", H5P_DEFAULT), "delete step_offsets");
    hdf5::write_int64s(file, "/teacher_trajectories/step_offsets", {0, 2, 1});
  });
  EXPECT_EQ(error_of([&] { read_result_file(path("offsets.h5")); }),
            "result file '" + path("offsets.h5") +
                "' is truncated or corrupt: '/teacher_trajectories/step_offsets' has 3 entries ending at 1, expected 3 "
                "entries from 0 to 2");

  write_sample(path("filter.h5"), 1);
  edit_file(path("filter.h5"), [](hid_t file) {
    hdf5::check(H5Ldelete(file, "/teacher_trajectories/filter", H5P_DEFAULT), "delete filter");
    hdf5::write_strings(file, "/teacher_trajectories/filter", {"kept"});
  });
  EXPECT_EQ(error_of([&] { read_result_file(path("filter.h5")); }),
            "result file '" + path("filter.h5") +
                "' is truncated or corrupt: '/teacher_trajectories/filter' has 1 entries, expected 2 (one per teacher "
                "trajectory)");
}

TEST_F(ResultFileTest, TrajectoriesThatBreakTheLayoutAreRefused) {
  const std::string tmp = path("cell.h5") + "." + std::to_string(::getpid()) + ".tmp";
  ResultWriter writer(path("cell.h5"));
  std::vector<Trajectory> trajectories = sample_trajectories();
  trajectories[0].steps[0].scores.pop_back();
  EXPECT_EQ(error_of([&] { writer.write_trajectories(trajectories); }),
            "cannot write result file '" + tmp +
                "': the trajectory of question 'q1' has a step with 2 paragraph ids and 1 scores, expected one score "
                "per id");
  EXPECT_EQ(error_of([&] { writer.write_teacher_trajectories(sample_teacher_trajectories(), {"kept"}); }),
            "cannot write result file '" + tmp + "': 2 teacher trajectories with 1 filter verdicts, expected one per "
            "trajectory");
}

TEST_F(ResultFileTest, InspectPrintsTheStoredTrajectories) {
  write_sample(path("cell.h5"), 1);
  std::ostringstream evaluated;
  inspect_result_file(path("cell.h5"), "q1", evaluated);
  EXPECT_EQ(evaluated.str(),
            "cell 0123456789abcdef (complete) of experiment ablation — σ weights, result file " + path("cell.h5") +
                "\n"
                "\nquestion q1 (evaluated)\n"
                "gold: Paris | City of Light\n"
                "prediction: \"Paris\"  EM 1  F1 1.00  Acc 1\n"
                "evaluated trajectory: 2 steps, ended by answer, answer \"Paris\"\n"
                "  step 1 query: Where is the Eiffel Tower?\n"
                "    retrieved: p3 (12.50) p9 (7.25)\n"
                "    prompt: 412 tokens\n"
                "    wrote: The Eiffel Tower is in Paris.\n"
                "  step 2 query: Paris\n"
                "    retrieved:\n"
                "    prompt: 530 tokens\n"
                "    wrote: So the answer is: Paris.\n");

  std::ostringstream teacher;
  inspect_result_file(path("cell.h5"), "t2", teacher);
  EXPECT_NE(teacher.str().find("\nquestion t2 (training)\nteacher trajectory: 1 steps, ended by answer, answer \"W\"\n"),
            std::string::npos)
      << teacher.str();
  EXPECT_NE(teacher.str().find("    retrieved: p2 (2.00) p4 (1.00)\n"), std::string::npos) << teacher.str();
  EXPECT_NE(teacher.str().find("filter: wrong_answer\n"), std::string::npos) << teacher.str();

  std::ostringstream failed;
  inspect_result_file(path("cell.h5"), "q3", failed);
  EXPECT_NE(failed.str().find("evaluated trajectory: 0 steps, ended by error: model 'llama' ran out of memory, answer "
                              "\"\" (no answer pattern)\n"),
            std::string::npos)
      << failed.str();

  std::ostringstream none;
  EXPECT_EQ(error_of([&] { inspect_result_file(path("cell.h5"), "nope", none); }),
            "result file '" + path("cell.h5") + "' holds no trajectory of question 'nope' (3 evaluated, 2 teacher "
            "trajectories)");
}

bool tool_exists(const std::string& tool) {
  return std::system(("command -v " + tool + " >/dev/null 2>&1").c_str()) == 0;
}

TEST_F(ResultFileTest, H5dumpAndH5pyReadTheFile) {
  const std::string python = "/usr/bin/python3";
  if (!tool_exists("h5dump")) GTEST_SKIP() << "h5dump is not installed";
  if (!tool_exists(python) || std::system((python + " -c 'import h5py' 2>/dev/null").c_str()) != 0)
    GTEST_SKIP() << "h5py is not installed";
  write_sample(path("cell.h5"), 300);

  EXPECT_EQ(std::system(("h5dump -H '" + path("cell.h5") + "' > '" + path("header.txt") + "'").c_str()), 0);
  std::stringstream header;
  header << std::ifstream(path("header.txt")).rdbuf();
  for (const char* part : {"DATASET \"train_log\"", "DATASET \"table\"", "ATTRIBUTE \"format\"", "GROUP \"metrics\"",
                           "GROUP \"trajectories\"", "DATASET \"retrieved_offsets\""})
    EXPECT_NE(header.str().find(part), std::string::npos) << "h5dump -H lacks " << part << ":\n" << header.str();

  const std::string script =
      "import sys, h5py, math\n"
      "f = h5py.File(sys.argv[1], 'r')\n"
      "m = f['metrics'].attrs\n"
      "print(f.attrs['format'], f.attrs['format_version'], f.attrs['experiment'], f.attrs['seed'])\n"
      "print(m['em'], m['f1'], m['acc'], m['questions'], m['samples_mid'])\n"
      "t = f['predictions/table']\n"
      "print(len(t), t[1]['question_id'].decode(), t[1]['prediction'].decode(), t[1]['f1'], t[1]['steps'])\n"
      "o = f['predictions/golds_offsets'][:]\n"
      "print('|'.join(g.decode() for g in f['predictions/golds'][o[0]:o[1]]))\n"
      "r = f['predictions/retrieved_ids_offsets'][:]\n"
      "print([x.decode() for x in f['predictions/retrieved_ids'][r[2]:r[3]]])\n"
      "log = f['train_log']\n"
      "print(len(log), log[299]['step'], log[299]['loss_first'], math.isnan(log[298]['loss_mid']), "
      "log[1]['weight_final'])\n"
      "print(f['log'][1].decode(), f['config/axes'][0]['key'].decode(), "
      "f['config/cell_toml'][()].decode().splitlines()[0])\n"
      "t = f['trajectories']\n"
      "q, so, ro = t['questions'], t['step_offsets'][:], t['retrieved_offsets'][:]\n"
      "print(len(q), q[1]['question_id'].decode(), q[1]['answer_found'], q[2]['end_reason'].decode(), so.tolist())\n"
      "s = t['steps'][so[1]:so[2]][0]\n"
      "print(s['query'].decode(), s['prompt_tokens'], s['generated'].decode())\n"
      "print([x.decode() for x in t['retrieved_ids'][ro[0]:ro[1]]], t['retrieved_scores'][ro[0]:ro[1]].tolist())\n"
      "print([x.decode() for x in f['teacher_trajectories/filter'][:]])\n";
  { std::ofstream(path("check.py")) << script; }
  ASSERT_EQ(
      std::system(
          (python + " '" + path("check.py") + "' '" + path("cell.h5") + "' > '" + path("h5py.txt") + "'").c_str()),
      0);
  std::stringstream printed;
  printed << std::ifstream(path("h5py.txt")).rdbuf();
  EXPECT_EQ(printed.str(),
            "steper-result 4 ablation — σ weights 18446744073709551615\n"
            "41.5 52.25 47.0 200 1210\n"
            "3 q2 Björk Guðmundsdóttir 0.5 3\n"
            "Paris|City of Light\n"
            "['東京-12']\n"
            "300 299 300.0 True 1.3\n"
            "σ_final → 0.8 «done» loss.name [loss]\n"
            "3 q2 0 error: model 'llama' ran out of memory [0, 2, 3, 3]\n"
            "Wer ist „Björk“? 東京 77 Björk Guðmundsdóttir — a singer ♪\n"
            "['p3', 'p9'] [12.5, 7.25]\n"
            "['kept', 'wrong_answer']\n");
}

}  // namespace
}  // namespace steper
