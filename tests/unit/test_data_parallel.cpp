// Data-parallel training over c10d: the environment that places a rank, the launcher, and
// multi-process runs in which this test process is rank 0 and steper_ddp_worker the others.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>

#include "torch/data_parallel.hpp"
#include "rank_launcher.hpp"
#include "steper/settings.hpp"
#include "../ddp/tiny_training.hpp"

namespace steper {
namespace {

// Sets environment variables for one test and restores the previous values afterwards.
class ScopedEnvironment {
 public:
  ScopedEnvironment(std::initializer_list<std::pair<const char*, const char*>> values) {
    for (const char* name : {kRankVariable, kWorldSizeVariable, kMasterAddrVariable, kMasterPortVariable,
                             kTimeoutVariable, kThreadsVariable, "SLURM_PROCID", "SLURM_STEP_NUM_TASKS", "SLURM_STEP_NODELIST",
                             "SLURM_JOB_NODELIST", "SLURM_JOB_ID"}) {
      const char* old = std::getenv(name);
      saved_[name] = old ? std::optional<std::string>(old) : std::nullopt;
      ::unsetenv(name);
    }
    for (const auto& [name, value] : values) ::setenv(name, value, 1);
  }
  ~ScopedEnvironment() {
    for (const auto& [name, value] : saved_)
      value ? ::setenv(name.c_str(), value->c_str(), 1) : ::unsetenv(name.c_str());
  }

 private:
  std::map<std::string, std::optional<std::string>> saved_;
};

std::string error_of(std::initializer_list<std::pair<const char*, const char*>> values) {
  const ScopedEnvironment environment(values);
  try {
    process_group_from_environment();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ProcessGroupEnvironment, ReadsTheLaunchersVariables) {
  const ScopedEnvironment environment({{"STEPER_RANK", "1"}, {"STEPER_WORLD_SIZE", "3"}, {"STEPER_MASTER_ADDR", "10.0.0.7"},
                                       {"STEPER_MASTER_PORT", "29511"}, {"STEPER_COLLECTIVE_TIMEOUT_S", "2.5"},
                                       {"STEPER_THREADS_PER_RANK", "3"}});
  const auto settings = process_group_from_environment();
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->rank, 1);
  EXPECT_EQ(settings->world_size, 3);
  EXPECT_EQ(settings->master_addr, "10.0.0.7");
  EXPECT_EQ(settings->master_port, 29511);
  EXPECT_DOUBLE_EQ(settings->timeout_s, 2.5);
  EXPECT_EQ(settings->threads, 3);
}

TEST(ProcessGroupEnvironment, AloneWithoutVariablesOrWithOneRank) {
  {
    const ScopedEnvironment environment({});
    EXPECT_FALSE(process_group_from_environment());
  }
  {
    const ScopedEnvironment environment({{"STEPER_RANK", "0"}, {"STEPER_WORLD_SIZE", "1"}});
    EXPECT_FALSE(process_group_from_environment());
  }
  {  // a batch script's own process: Slurm's job variables but no srun step
    const ScopedEnvironment environment({{"SLURM_PROCID", "0"}, {"SLURM_JOB_ID", "5"}});
    EXPECT_FALSE(process_group_from_environment());
  }
}

TEST(ProcessGroupEnvironment, RejectsBadValuesNamingTheVariable) {
  const auto starts = [](const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; };
  EXPECT_EQ(error_of({{"STEPER_RANK", "x"}, {"STEPER_WORLD_SIZE", "2"}, {"STEPER_MASTER_PORT", "1234"}}),
            "environment variable STEPER_RANK='x': expected a rank from 0 to 1 (STEPER_WORLD_SIZE - 1)");
  EXPECT_TRUE(starts(error_of({{"STEPER_RANK", "2"}, {"STEPER_WORLD_SIZE", "2"}, {"STEPER_MASTER_PORT", "1234"}}),
                     "environment variable STEPER_RANK='2': expected a rank from 0 to 1"));
  EXPECT_TRUE(starts(error_of({{"STEPER_RANK", "-1"}, {"STEPER_WORLD_SIZE", "2"}, {"STEPER_MASTER_PORT", "1234"}}),
                     "environment variable STEPER_RANK='-1'"));
  EXPECT_EQ(error_of({{"STEPER_RANK", "0"}, {"STEPER_WORLD_SIZE", "0"}}),
            "environment variable STEPER_WORLD_SIZE='0': expected a number of processes >= 1");
  EXPECT_EQ(error_of({{"STEPER_RANK", "0"}, {"STEPER_WORLD_SIZE", "2x"}}),
            "environment variable STEPER_WORLD_SIZE='2x': expected a number of processes >= 1");
  EXPECT_TRUE(starts(error_of({{"STEPER_WORLD_SIZE", "2"}}), "environment variable STEPER_RANK is not set"));
  EXPECT_TRUE(starts(error_of({{"STEPER_RANK", "0"}, {"STEPER_WORLD_SIZE", "2"}}),
                     "environment variable STEPER_MASTER_PORT is not set"));
  EXPECT_EQ(error_of({{"STEPER_RANK", "0"}, {"STEPER_WORLD_SIZE", "2"}, {"STEPER_MASTER_PORT", "70000"}}),
            "environment variable STEPER_MASTER_PORT='70000': expected a TCP port from 1 to 65535");
  EXPECT_EQ(error_of({{"STEPER_RANK", "0"}, {"STEPER_WORLD_SIZE", "2"}, {"STEPER_MASTER_PORT", "1234"},
                      {"STEPER_COLLECTIVE_TIMEOUT_S", "0"}}),
            "environment variable STEPER_COLLECTIVE_TIMEOUT_S='0': expected a positive number of seconds");
  EXPECT_EQ(error_of({{"STEPER_RANK", "0"}, {"STEPER_WORLD_SIZE", "2"}, {"STEPER_MASTER_PORT", "1234"},
                      {"STEPER_THREADS_PER_RANK", "0"}}),
            "environment variable STEPER_THREADS_PER_RANK='0': expected a number of threads >= 1");
  EXPECT_EQ(error_of({{"SLURM_PROCID", "4"}, {"SLURM_STEP_NUM_TASKS", "4"}, {"SLURM_JOB_ID", "1"},
                      {"SLURM_JOB_NODELIST", "n1"}}),
            "environment variable SLURM_PROCID='4': expected a task rank from 0 to 3");
  EXPECT_TRUE(starts(error_of({{"SLURM_PROCID", "1"}, {"SLURM_STEP_NUM_TASKS", "2"}, {"SLURM_JOB_ID", "1"}}),
                     "environment variable SLURM_JOB_NODELIST is not set"));
}

TEST(ProcessGroupEnvironment, ReadsAnSrunStep) {
  const ScopedEnvironment environment({{"SLURM_PROCID", "1"}, {"SLURM_STEP_NUM_TASKS", "4"}, {"SLURM_JOB_ID", "123456"},
                                       {"SLURM_STEP_NODELIST", "node[003-005],gpu1"}, {"SLURM_JOB_NODELIST", "other"}});
  const auto settings = process_group_from_environment();
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->rank, 1);
  EXPECT_EQ(settings->world_size, 4);
  EXPECT_EQ(settings->master_addr, "node003");
  EXPECT_EQ(settings->master_port, 15000 + 123456 % 15000);
  ::setenv("STEPER_MASTER_PORT", "2000", 1);  // overrides the derived port
  EXPECT_EQ(process_group_from_environment()->master_port, 2000);
}

TEST(ProcessGroupEnvironment, FirstSlurmHost) {
  EXPECT_EQ(first_slurm_host("node7"), "node7");
  EXPECT_EQ(first_slurm_host("a1,b2"), "a1");
  EXPECT_EQ(first_slurm_host("node[003-005,9]"), "node003");
  EXPECT_EQ(first_slurm_host("rack[2,4]-n[07-09]"), "rack2-n07");
  EXPECT_EQ(first_slurm_host("gpu1,node[10-12]"), "gpu1");
  EXPECT_THROW(first_slurm_host("node[1-2"), ConfigError);
}

TEST(RankLauncher, StartsTheOtherRanksWithTheirVariables) {
  RankLauncher launcher({"sh", "-c", "test \"$STEPER_RANK\" -ge 1 && test \"$STEPER_WORLD_SIZE\" = 3 && "
                                     "test \"$STEPER_MASTER_ADDR\" = 127.0.0.1 && test \"$STEPER_MASTER_PORT\" -gt 0 && "
                                     "test \"$STEPER_THREADS_PER_RANK\" = \"$(( $(nproc) / 3 > 0 ? $(nproc) / 3 : 1 ))\""},
                        3);
  EXPECT_EQ(launcher.settings().rank, 0);
  EXPECT_EQ(launcher.settings().world_size, 3);
  EXPECT_GE(launcher.settings().threads, 1);
  EXPECT_EQ(launcher.wait(), 0);
}

TEST(RankLauncher, ReportsTheFirstFailure) {
  EXPECT_EQ(RankLauncher({"sh", "-c", "exit $((6 + STEPER_RANK))"}, 2).wait(), 7);
  EXPECT_EQ(RankLauncher({"sh", "-c", "kill -9 $$"}, 2).wait(), 128 + 9);
  EXPECT_EQ(RankLauncher({"/nonexistent/program"}, 2).wait(), 127);
}

TEST(RankLauncher, AloneStartsNothingAndRejectsBadArguments) {
  RankLauncher launcher({"false"}, 1);
  EXPECT_EQ(launcher.wait(), 0);
  DataParallel group(launcher.settings());
  EXPECT_EQ(group.world_size(), 1);
  EXPECT_DOUBLE_EQ(group.sum(2.5), 2.5);
  group.barrier();
  EXPECT_THROW(RankLauncher({}, 2), std::invalid_argument);
  EXPECT_THROW(RankLauncher({"true"}, 0), std::invalid_argument);
  EXPECT_THROW(RankLauncher({"true"}, 2, /*timeout_s=*/0), std::invalid_argument);
}

TEST(RankLauncher, StopsRanksStillRunning) {
  const auto start = std::chrono::steady_clock::now();
  { RankLauncher launcher({"sleep", "60"}, 3); }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

// Trains K steps as 2 ranks (this process and a worker) and as 1 process with the same global
// batch; with SGD and with AdamW.
class TwoRanksMatchOne : public ::testing::TestWithParam<std::string> {};

TEST_P(TwoRanksMatchOne, FinalWeights) {
  const std::string out = (std::filesystem::temp_directory_path() /
                           ("steper_ddp_rank1_" + std::to_string(::getpid()) + ".bin")).string();
  TinyTraining run;
  run.optimizer = GetParam();
  TinyResult rank0;
  {
    RankLauncher launcher({STEPER_DDP_WORKER, "train", run.optimizer, out}, 2, /*timeout_s=*/60);
    DataParallel group(launcher.settings());
    rank0 = train_tiny_model(run, &group);
    ASSERT_EQ(launcher.wait(), 0);
  }
  const std::vector<float> rank1 = read_weights(out);
  std::filesystem::remove(out);
  const TinyResult alone = train_tiny_model(run, nullptr);

  ASSERT_EQ(rank1.size(), alone.weights.size());
  EXPECT_EQ(rank1, rank0.weights) << "the ranks' weights must stay identical";
  // fp32: the averaged gradient differs from the one-process gradient only by rounding.
  for (std::size_t i = 0; i < alone.weights.size(); ++i)
    EXPECT_NEAR(rank0.weights[i], alone.weights[i], 1e-6 * std::max(1.0f, std::abs(alone.weights[i]))) << "weight " << i;
  EXPECT_NEAR(rank0.last_loss, alone.last_loss, 1e-6 * alone.last_loss);
  EXPECT_NE(alone.weights, train_tiny_model(TinyTraining{1, run.global_batch, run.optimizer}, nullptr).weights)
      << "the K steps must move the weights";
}

INSTANTIATE_TEST_SUITE_P(DataParallel, TwoRanksMatchOne, ::testing::Values("sgd", "adamw"));

// The timeout also bounds the rendezvous, so it leaves a loaded machine time to start the worker.
std::string collective_error(const char* worker_mode, double timeout_s, double* seconds, int* worker_status) {
  RankLauncher launcher({STEPER_DDP_WORKER, worker_mode}, 2, timeout_s);
  DataParallel group(launcher.settings());
  const auto start = std::chrono::steady_clock::now();
  std::string error = "(no error)";
  try {
    TinyTraining run;
    train_tiny_model(run, &group);
  } catch (const std::runtime_error& e) {
    error = e.what();
  }
  *seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  *worker_status = std::string(worker_mode) == "die" ? launcher.wait() : 0;
  return error;
}

TEST(DataParallel, DeadRankFailsTheCollectiveInsteadOfHanging) {
  double seconds = 0;
  int status = 0;
  const std::string error = collective_error("die", /*timeout_s=*/8, &seconds, &status);
  // The broadcast from rank 0 may still succeed (it only sends); the gradients' all-reduce cannot.
  EXPECT_NE(error.find("failed on rank 0 of 2 (timeout 8 s): another rank probably died"), std::string::npos) << error;
  EXPECT_LT(seconds, 8 * 1.1 + 1 + 2);
  EXPECT_EQ(status, 3);
}

TEST(DataParallel, StalledRankTimesOut) {
  double seconds = 0;
  int status = 0;
  const std::string error = collective_error("stall", /*timeout_s=*/6, &seconds, &status);
  EXPECT_NE(error.find("failed on rank 0 of 2 (timeout 6 s)"), std::string::npos) << error;
  EXPECT_GT(seconds, 5.5);
  // The wait's own deadline is 6 * 1.1 + 1 s; the rest is slack for a loaded machine (a hang
  // would last the default 300 s).
  EXPECT_LT(seconds, 6 * 1.1 + 1 + 5);
}

TEST(DataParallel, RendezvousWithoutTheOtherRanksTimesOut) {
  ProcessGroupSettings settings;
  settings.world_size = 2;
  settings.master_port = free_local_port();
  settings.timeout_s = 1;
  const auto start = std::chrono::steady_clock::now();
  try {
    DataParallel group(settings);
    ADD_FAILURE() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("data-parallel rendezvous: rank 0 of 2 could not meet the other ranks at "
                                         "127.0.0.1:"),
              std::string::npos)
        << e.what();
  }
  // About 3 s on a loaded 2-core machine; without the timeout it would wait the default 300 s.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(15));
  settings.rank = 2;
  EXPECT_THROW(DataParallel{settings}, std::invalid_argument);
}

}  // namespace
}  // namespace steper
