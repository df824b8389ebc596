// The trainer: exact resume after a kill, the NaN stop that keeps the last good checkpoint,
// dev evaluation keeping the best weights, accumulation, and the batch plan's mixing and
// length bucketing; the pretrainer's groups of similar length. A tiny model and loss defined
// here keep each run to milliseconds.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <limits>
#include <set>

#include <torch/torch.h>

#include "batch_plan.hpp"
#include "config.hpp"
#include "config_test_support.hpp"
#include "run_log.hpp"
#include "steper/loss.hpp"
#include "steper/trainable.hpp"
#include "torch/pretrainer.hpp"
#include "torch/trainer.hpp"

namespace steper {
namespace {

namespace fs = std::filesystem;

// Scores a sample by a learned value per target byte against a target from its prompt length.
class ByteModel : public TrainableModel {
 public:
  ByteModel() {
    torch::manual_seed(7);
    values_ = torch::randn({256}).requires_grad_(true);
  }
  BatchLosses sample_losses(const std::vector<StepSample>& batch) override {
    std::vector<at::Tensor> per_sample;
    BatchLosses out;
    for (const auto& s : batch) {
      std::vector<std::int64_t> bytes(s.target.begin(), s.target.end());
      const auto predicted = values_.index_select(0, torch::tensor(bytes)).mean();
      per_sample.push_back((predicted - static_cast<double>(s.prompt.size()) / 10.0).pow(2));
      out.total_tokens += static_cast<std::int64_t>(s.prompt.size() + s.target.size());
      out.target_tokens += static_cast<std::int64_t>(s.target.size());
    }
    out.per_sample = torch::stack(per_sample);
    return out;
  }
  std::vector<at::Tensor> parameters() override { return {values_}; }
  void set_training(bool) override {}
  void save(const std::string& dir) override { torch::save(values_.detach(), dir + "/values.pt"); }
  void load(const std::string& dir) override {
    at::Tensor loaded;
    torch::load(loaded, dir + "/values.pt");
    values_ = loaded.clone().requires_grad_(true);  // new tensors, as models that rebuild on load make
  }
  std::int64_t parameter_count() override { return 256; }
  at::Tensor values() const { return values_.detach().clone(); }

 private:
  at::Tensor values_;
};

// StepER's form with one learned s; returns NaN from call `nan_at` on (0 = never).
class LearnedScaleLoss : public Loss {
 public:
  explicit LearnedScaleLoss(int nan_at = 0, double lr_scale = 1.0) : nan_at_(nan_at), lr_scale_(lr_scale) {}
  bool uses(StepKind) const override { return true; }
  at::Tensor combine(const at::Tensor& per_sample, const std::vector<StepKind>& kinds, LossReport& report) override {
    ++calls_;
    const auto mean = per_sample.mean();
    report.kind_loss[static_cast<int>(kinds.front())] = mean.item<double>();
    report.kind_weight[static_cast<int>(kinds.front())] = scale_.exp().item<double>();
    auto value = 0.5 * (-scale_).exp() * mean + 0.5 * scale_;
    if (nan_at_ > 0 && calls_ >= nan_at_) value = value * std::numeric_limits<double>::quiet_NaN();
    return value;
  }
  std::vector<at::Tensor> parameters() override { return {scale_}; }
  double parameter_lr_scale() const override { return lr_scale_; }
  at::Tensor scale() const { return scale_.detach().clone(); }

 private:
  at::Tensor scale_ = torch::zeros({}).requires_grad_(true);
  int nan_at_;
  double lr_scale_;
  int calls_ = 0;
};

std::vector<StepSample> make_samples() {
  std::vector<StepSample> samples;
  for (int i = 0; i < 30; ++i) {
    StepSample s;
    s.question_id = "q" + std::to_string(i);
    s.kind = static_cast<StepKind>(i % 3);
    s.prompt = std::string(5 + (i * 7) % 23, 'p');
    s.target = "answer " + std::to_string(i);
    samples.push_back(s);
  }
  return samples;
}

TrainSettings resumable_settings() {
  TrainSettings s;
  s.steps = 12;
  s.batch_size = 3;
  s.accumulation = 2;
  s.lr = 0.05;
  s.warmup_steps = 2;
  s.schedule = "cosine";
  s.clip_norm = 1.0;
  s.weight_decay = 0.01;
  s.precision = "fp32";
  s.mix = "shares";
  s.mix_shares = {1, 2, 1};
  s.bucket_batches = 2;
  s.checkpoint_every = 4;
  return s;
}

class TrainerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "steper-trainer-XXXXXX").string();
    root_ = mkdtemp(pattern.data());
  }
  void TearDown() override { fs::remove_all(root_); }
  std::string dir(const std::string& name) const { return (fs::path(root_) / name).string(); }

  fs::path root_;
  RunLog log_;
  const std::vector<StepSample> samples_ = make_samples();
};

struct Interrupted {};

TEST_F(TrainerTest, ResumeAfterAKillGivesTheSameWeightsAsAnUninterruptedRun) {
  const TrainSettings settings = resumable_settings();
  ByteModel whole_model;
  LearnedScaleLoss whole_loss;
  std::vector<double> whole_losses;
  TrainingJob whole{whole_model, whole_loss, samples_, settings, 3, log_, dir("whole"), {},
                    [&](const TrainLogRow& row) { whole_losses.push_back(row.loss); }};
  const TrainSummary uninterrupted = train_student(whole);
  EXPECT_EQ(uninterrupted.resumed_from, 0);
  ASSERT_EQ(uninterrupted.rows.size(), 12u);

  {  // killed after step 10: the checkpoint of step 8 survives
    ByteModel model;
    LearnedScaleLoss loss;
    TrainingJob killed{model, loss, samples_, settings, 3, log_, dir("killed"), {}, [](const TrainLogRow& row) {
                         if (row.step == 10) throw Interrupted{};
                       }};
    EXPECT_THROW(train_student(killed), Interrupted);
  }
  ByteModel model;
  LearnedScaleLoss loss;
  std::vector<double> resumed_losses;
  TrainingJob resumed{model, loss, samples_, settings, 3, log_, dir("killed"), {},
                      [&](const TrainLogRow& row) { resumed_losses.push_back(row.loss); }};
  const TrainSummary summary = train_student(resumed);
  EXPECT_EQ(summary.resumed_from, 8);
  EXPECT_EQ(resumed_losses, whole_losses);  // steps 1-8 replayed from the checkpoint, 9-12 computed again
  EXPECT_TRUE(torch::equal(model.values(), whole_model.values()));
  EXPECT_TRUE(torch::equal(loss.scale(), whole_loss.scale()));
}

TEST_F(TrainerTest, ADifferentSeedTrainsOnOtherBatches) {
  const TrainSettings settings = resumable_settings();
  ByteModel a, b;
  LearnedScaleLoss loss_a, loss_b;
  train_student({a, loss_a, samples_, settings, 3, log_, "", {}, [](const TrainLogRow&) {}});
  train_student({b, loss_b, samples_, settings, 4, log_, "", {}, [](const TrainLogRow&) {}});
  EXPECT_FALSE(torch::equal(a.values(), b.values()));
}

TEST_F(TrainerTest, ANanLossStopsTheCellAndKeepsTheLastGoodCheckpoint) {
  TrainSettings settings = resumable_settings();
  settings.accumulation = 1;
  settings.checkpoint_every = 3;
  ByteModel model;
  LearnedScaleLoss loss(/*nan_at=*/8);
  TrainingJob job{model, loss, samples_, settings, 3, log_, dir("nan"), {}, [](const TrainLogRow&) {}};
  try {
    train_student(job);
    FAIL() << "expected the NaN to stop training";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "training loss is nan at step 8; stopping this cell. The last good checkpoint "
                                     "(step 6) is kept in '" + dir("nan") + "/last'");
  }
  EXPECT_TRUE(fs::exists(dir("nan") + "/last/model/values.pt"));
  EXPECT_FALSE(fs::exists(dir("nan") + "/next"));
}

TEST_F(TrainerTest, KeepBestLoadsTheWeightsOfTheBestDevEvaluation) {
  TrainSettings settings = resumable_settings();
  settings.eval_every = 2;
  settings.keep = "best";
  ByteModel model;
  LearnedScaleLoss loss;
  const std::vector<double> scores = {10, 30, 20, 30, 5, 1};  // steps 2, 4, ... 12; ties keep the first
  std::vector<at::Tensor> weights;
  std::vector<double> logged;
  TrainingJob job{model, loss, samples_, settings, 3, log_, dir("best"),
                  [&] {
                    weights.push_back(model.values());
                    return scores[weights.size() - 1];
                  },
                  [&](const TrainLogRow& row) {
                    if (!std::isnan(row.dev_score)) logged.push_back(row.dev_score);
                  }};
  const TrainSummary summary = train_student(job);
  EXPECT_EQ(summary.best_step, 4);
  EXPECT_EQ(summary.best_score, 30);
  EXPECT_EQ(logged, scores);
  ASSERT_EQ(weights.size(), 6u);
  EXPECT_TRUE(torch::equal(model.values(), weights[1]));
}

TEST_F(TrainerTest, TheLossParametersLearnAtTheirScaleOfTheModelsRate) {
  TrainSettings settings;  // one step at a constant rate, no clipping or decay
  settings.steps = 1;
  settings.batch_size = 3;
  settings.lr = 0.01;
  settings.precision = "fp32";
  for (const double lr_scale : {1.0, 10.0}) {
    ByteModel model;
    const at::Tensor before = model.values();
    LearnedScaleLoss loss(/*nan_at=*/0, lr_scale);
    train_student({model, loss, samples_, settings, 3, log_, "", {}, [](const TrainLogRow&) {}});
    // Adam's first step moves each parameter with a gradient by its learning rate, whatever the gradient's size.
    EXPECT_NEAR(std::abs(loss.scale().item<double>()), 0.01 * lr_scale, 1e-6) << lr_scale;
    EXPECT_NEAR((model.values() - before).abs().max().item<double>(), 0.01, 1e-6) << lr_scale;
  }
}

TEST_F(TrainerTest, EpochsSetTheStepsFromTheSamplesTheLossUses) {
  TrainSettings settings;
  settings.epochs = 2;
  settings.batch_size = 4;
  settings.accumulation = 2;
  EXPECT_EQ(settings.total_steps(30), 8);      // ceil(2 x 30 / 8)
  EXPECT_EQ(settings.total_steps(30, 2), 4);   // two processes
  settings.epochs = 0;
  EXPECT_EQ(settings.total_steps(30), settings.steps);
}

// A ByteModel that records the size of every batch it is handed.
class RecordingModel : public ByteModel {
 public:
  BatchLosses sample_losses(const std::vector<StepSample>& batch) override {
    calls.push_back(batch.size());
    return ByteModel::sample_losses(batch);
  }
  std::vector<std::size_t> calls;
};

TEST_F(TrainerTest, PretrainingRunsAStepAsGroupsOfSimilarLength) {
  PretrainSettings settings;
  settings.optimisation.steps = 2;
  settings.optimisation.warmup_steps = 0;
  settings.optimisation.precision = "fp32";
  settings.optimisation.checkpoint_every = 0;
  std::vector<StepSample> step(samples_.begin(), samples_.begin() + 5);
  step[0].prompt = step[1].prompt = std::string(3, 'p');    // with their targets: 11-12 bytes
  step[2].prompt = std::string(12, 'p');                    // 20: within twice the shortest
  step[3].prompt = step[4].prompt = std::string(200, 'p');  // 208-209 bytes
  RecordingModel model;
  pretrain({model, settings, [&](std::int64_t) { return step; }, log_, dir("pretrain"), {}, {}});
  EXPECT_EQ(model.calls, (std::vector<std::size_t>{3, 2, 3, 2}));
}

std::vector<std::size_t> drawn(BatchPlan& plan, int batches) {
  std::vector<std::size_t> all;
  for (int i = 0; i < batches; ++i)
    for (std::size_t index : plan.next()) all.push_back(index);
  return all;
}

TEST(BatchPlan, ProportionalVisitsEveryUsableSampleOncePerPass) {
  const auto samples = make_samples();
  TrainSettings settings;
  settings.bucket_batches = 0;
  BatchPlan plan(samples, {true, true, true}, settings, 5, 1);
  const auto first_pass = drawn(plan, 6);
  EXPECT_EQ(std::set<std::size_t>(first_pass.begin(), first_pass.end()).size(), 30u);
}

TEST(BatchPlan, AKindTheLossDoesNotUseIsNeverDrawn) {
  const auto samples = make_samples();
  TrainSettings settings;
  BatchPlan plan(samples, {false, false, true}, settings, 4, 1);
  for (std::size_t index : drawn(plan, 20)) EXPECT_EQ(samples[index].kind, StepKind::final);
  EXPECT_EQ(plan.usable_samples(), 10u);
  EXPECT_THROW(BatchPlan(samples, {false, false, false}, settings, 4, 1), std::runtime_error);
}

TEST(BatchPlan, SharesSetTheMixOfKinds) {
  const auto samples = make_samples();  // 10 of each kind
  TrainSettings settings;
  settings.mix = "shares";
  settings.mix_shares = {0, 1, 3};
  BatchPlan plan(samples, {true, true, true}, settings, 8, 1);
  std::array<int, kStepKindCount> counts{};
  for (std::size_t index : drawn(plan, 500)) ++counts[static_cast<int>(samples[index].kind)];
  EXPECT_EQ(counts[0], 0);
  EXPECT_NEAR(counts[2] / 4000.0, 0.75, 0.03);  // 4000 draws: a standard deviation of 0.007
}

TEST(BatchPlan, BucketingKeepsEachKindsShareInEveryBatch) {
  const auto samples = make_samples();  // 10 of each kind
  TrainSettings settings;
  settings.bucket_batches = 5;  // one window = one pass over the 30 samples
  BatchPlan plan(samples, {true, true, true}, settings, 6, 1);
  for (int b = 0; b < 5; ++b) {
    std::array<int, kStepKindCount> counts{};
    for (std::size_t index : plan.next()) ++counts[static_cast<int>(samples[index].kind)];
    EXPECT_EQ(counts, (std::array<int, kStepKindCount>{2, 2, 2})) << "batch " << b;
  }
}

TEST(BatchPlan, BucketingGroupsSimilarLengthsAndKeepsTheSeedsOrder) {
  const auto samples = make_samples();
  TrainSettings settings;
  settings.bucket_batches = 6;  // the whole pass of 30 samples sorted together
  BatchPlan bucketed(samples, {true, true, true}, settings, 5, 1);
  settings.bucket_batches = 0;
  BatchPlan plain(samples, {true, true, true}, settings, 5, 1);
  auto padding = [&](BatchPlan& plan) {
    std::size_t pad = 0;
    for (int b = 0; b < 6; ++b) {
      const auto batch = plan.next();
      std::size_t longest = 0, sum = 0;
      for (std::size_t i : batch) {
        const std::size_t length = samples[i].prompt.size() + samples[i].target.size();
        longest = std::max(longest, length);
        sum += length;
      }
      pad += longest * batch.size() - sum;
    }
    return pad;
  };
  EXPECT_LT(padding(bucketed), padding(plain));
  settings.bucket_batches = 6;
  BatchPlan first(samples, {true, true, true}, settings, 5, 9), second(samples, {true, true, true}, settings, 5, 9);
  EXPECT_EQ(drawn(first, 12), drawn(second, 12));
}

TEST(TrainSettingsRead, RejectsContradictionsAtTheirKey) {
  testing::ExperimentDir dir;
  auto read = [&](const std::string& train) {
    const auto experiment = Experiment::load(dir.write("e.toml", "[train]\n" + train));
    return TrainSettings::read(experiment.cells().front().settings("train"));
  };
  EXPECT_NE(testing::config_error([&] { read("steps = 10\nepochs = 2\n"); }).find("either `steps` or `epochs`"),
            std::string::npos);
  EXPECT_NE(testing::config_error([&] { read("keep = \"best\"\n"); }).find("needs eval_every > 0"), std::string::npos);
  EXPECT_NE(testing::config_error([&] { read("mix = \"kinds\"\n"); }).find("\"balanced\""), std::string::npos);
  EXPECT_NE(testing::config_error([&] { read("mix = [1, 2]\n"); }).find("three shares"), std::string::npos);
  EXPECT_NE(testing::config_error([&] { read("accumulation = 0\n"); }).find("micro-batches >= 1"), std::string::npos);
  EXPECT_NE(testing::config_error([&] { read("epochs = 1e300\n"); }).find("epochs from 0 to 1e6"), std::string::npos);
  EXPECT_NE(testing::config_error([&] { read("epochs = nan\n"); }).find("must be a finite number, found nan"),
            std::string::npos);
  const TrainSettings balanced = read("mix = \"balanced\"\nepochs = 1.5\n");
  EXPECT_EQ(balanced.mix, "shares");
  EXPECT_EQ(balanced.epochs, 1.5);
  EXPECT_EQ(read("steps = 0\nepochs = 2\n").total_steps(80), 20);  // 2 x 80 samples / 8 per step
  EXPECT_EQ(read("mix = [0, 1, 2]\n").mix_shares[2], 2.0);
}

}  // namespace
}  // namespace steper
