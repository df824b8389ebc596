// The JSON files inside cached artifacts (teacher trajectories, training logs): they round-trip,
// and a damaged one is an error naming it, never an empty log or trajectory set taken as done.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "temporary_folder.hpp"
#include "trajectory_io.hpp"

namespace steper {
namespace {

std::string error_of(const std::function<void()>& read) {
  try {
    read();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(TrajectoryIo, TrainingLogRoundTrips) {
  testing::TemporaryFolder folder;
  const std::string path = (folder.path() / "train_log.json").string();
  TrainLogRow row;
  row.step = 7;
  row.loss = 1.25;
  row.kind_loss = {0.5, std::nan(""), 2.0};
  row.kind_weight = {1.0, 1.0, 0.5};
  row.learning_rate = 1e-3;
  row.tokens_per_s = 3200;
  row.seconds = 0.75;
  write_train_log(path, {row});
  const std::vector<TrainLogRow> read = read_train_log(path);
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].step, 7);
  EXPECT_EQ(read[0].loss, 1.25);
  EXPECT_TRUE(std::isnan(read[0].kind_loss[1]));
  EXPECT_EQ(read[0].kind_weight[2], 0.5);
  EXPECT_TRUE(std::isnan(read[0].dev_score));
  EXPECT_EQ(read[0].seconds, 0.75);
}

TEST(TrajectoryIo, ADamagedTrainingLogIsAnErrorNamingIt) {
  testing::TemporaryFolder folder;
  const std::string path = (folder.path() / "train_log.json").string();
  testing::write_file(path, "{}");
  EXPECT_EQ(error_of([&] { read_train_log(path); }), "'" + path + "' is not a training log: expected an array of rows");
  testing::write_file(path, "[{}]");
  EXPECT_EQ(error_of([&] { read_train_log(path); }).rfind("'" + path + "' is not a training log: ", 0), 0u);
  testing::write_file(path, "[{\"step\": 1");
  EXPECT_EQ(error_of([&] { read_train_log(path); }).rfind("'" + path + "' is not valid JSON: ", 0), 0u);
}

TEST(TrajectoryIo, ADamagedTrajectoryFileIsAnErrorNamingIt) {
  testing::TemporaryFolder folder;
  const std::string path = (folder.path() / "trajectories.json").string();
  testing::write_file(path, "{\"q1\": {}}");
  EXPECT_EQ(error_of([&] { read_trajectories(path); }), "'" + path + "' is not a trajectory file: expected an array");
  testing::write_file(path, "[{\"question_id\": \"q1\"}]");
  EXPECT_EQ(error_of([&] { read_trajectories(path); }).rfind("'" + path + "' is not a trajectory file: ", 0), 0u);
  testing::write_file(path, "[]");
  EXPECT_TRUE(read_trajectories(path).empty());
}

}  // namespace
}  // namespace steper
