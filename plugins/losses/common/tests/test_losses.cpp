// The three loss plugins through the host's loader, on hand-made per-sample losses.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include "config.hpp"
#include "plugin_loader.hpp"
#include "run_log.hpp"
#include "steper/loss.hpp"

namespace steper {
namespace {

namespace fs = std::filesystem;
constexpr StepKind F = StepKind::first, M = StepKind::mid, L = StepKind::final;

class Losses : public ::testing::Test {
 protected:
  Losses() : dir_(fs::temp_directory_path() / ("steper_loss_test_" + std::to_string(std::random_device()()))) {
    fs::create_directories(dir_);
  }
  ~Losses() override { fs::remove_all(dir_); }

  std::unique_ptr<Loss> make(const std::string& toml) {
    const auto path = dir_ / ("e" + std::to_string(files_++) + ".toml");
    std::ofstream(path) << "[loss]\n" << toml;
    Settings settings = Experiment::load(path.string()).cells().front().settings("loss");
    auto loss = registry_.create<Loss>(settings.require<std::string>("name"), settings, context_);
    settings.reject_unread();
    return loss;
  }
  std::string config_error(const std::string& toml) {
    try {
      make(toml);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "(no error)";
  }

  fs::path dir_;
  int files_ = 0;
  PluginRegistry registry_{{STEPER_LOSS_PLUGIN_DIR}};
  RunLog log_;
  HostContext context_{log_, 1, "cpu", dir_.string()};
};

// Samples: first 1.0 and 3.0 (mean 2), mid 4.0, final 0.5 and 1.5 (mean 1).
const at::Tensor kLosses = at::tensor({1.0f, 4.0f, 0.5f, 3.0f, 1.5f});
const std::vector<StepKind> kKinds = {F, M, L, F, L};

TEST_F(Losses, VanillaKdIsTheMeanFinalLossAndTrainsOnFinalSamplesOnly) {
  auto loss = make("name = \"vanilla_kd\"\n");
  EXPECT_FALSE(loss->uses(F));
  EXPECT_FALSE(loss->uses(M));
  EXPECT_TRUE(loss->uses(L));
  LossReport report;
  EXPECT_DOUBLE_EQ(loss->combine(kLosses, kKinds, report).item<double>(), 1.0);
  EXPECT_DOUBLE_EQ(report.kind_loss[2], 1.0);
  EXPECT_TRUE(std::isnan(report.kind_loss[0]));
  EXPECT_TRUE(loss->parameters().empty());
}

TEST_F(Losses, FixedWeightSumsTheWeightedKindMeansPresent) {
  auto loss = make("name = \"fixed_weight\"\nweights = [1.5, 1.0, 0.5]\n");
  LossReport report;
  EXPECT_DOUBLE_EQ(loss->combine(kLosses, kKinds, report).item<double>(), 1.5 * 2 + 1.0 * 4 + 0.5 * 1);
  EXPECT_DOUBLE_EQ(report.kind_loss[0], 2.0);
  EXPECT_DOUBLE_EQ(report.kind_weight[0], 1.5);
  LossReport no_mid;  // a kind absent from the batch contributes nothing
  EXPECT_DOUBLE_EQ(loss->combine(at::tensor({1.0f, 3.0f}), {F, L}, no_mid).item<double>(), 1.5 * 1 + 0.5 * 3);
  EXPECT_TRUE(std::isnan(no_mid.kind_loss[1]));
  EXPECT_FALSE(make("name = \"fixed_weight\"\nweights = [0.0, 1.0, 1.0]\n")->uses(F));
}

TEST_F(Losses, StepErWeighsEachKindByItsLearnedUncertainty) {
  auto loss = make("name = \"steper\"\ninit = 0.5\n");
  ASSERT_EQ(loss->parameters().size(), 1u);
  EXPECT_EQ(loss->parameter_lr_scale(), 1.0);  // the s_j learn at the model's rate unless told
  EXPECT_EQ(make("name = \"steper\"\nlr_scale = 20.0\n")->parameter_lr_scale(), 20.0);
  LossReport report;
  const auto total = loss->combine(kLosses, kKinds, report);
  const double s = 0.5;  // L = sum_j 1/2 exp(-s) L_j + 1/2 s, L_j = 2, 4, 1
  EXPECT_NEAR(total.item<double>(), 0.5 * std::exp(-s) * (2 + 4 + 1) + 3 * 0.5 * s, 1e-6);
  for (int j = 0; j < kStepKindCount; ++j) EXPECT_NEAR(report.kind_weight[j], std::exp(s / 2), 1e-6);  // sigma_j

  total.backward();
  const auto grad = loss->parameters()[0].grad();
  ASSERT_TRUE(grad.defined());
  const double kind_loss[] = {2, 4, 1};
  for (int j = 0; j < kStepKindCount; ++j)  // dL/ds_j = -1/2 exp(-s_j) L_j + 1/2
    EXPECT_NEAR(grad[j].item<double>(), -0.5 * std::exp(-s) * kind_loss[j] + 0.5, 1e-6) << j;

  loss->parameters()[0].grad().zero_();
  LossReport first_only;
  loss->combine(at::tensor({2.0f}), {F}, first_only).backward();
  EXPECT_EQ(loss->parameters()[0].grad()[1].item<double>(), 0.0);  // absent kinds get no gradient
  EXPECT_NE(loss->parameters()[0].grad()[0].item<double>(), 0.0);
}

TEST_F(Losses, RejectBadSettingsAtTheirKey) {
  EXPECT_NE(config_error("name = \"fixed_weight\"\nweights = [1.0, 1.0]\n").find("3 numbers"), std::string::npos);
  EXPECT_NE(config_error("name = \"fixed_weight\"\nweights = [1.0, -1.0, 1.0]\n").find("weights >= 0"), std::string::npos);
  EXPECT_NE(config_error("name = \"fixed_weight\"\nweights = [0.0, 0.0, 0.0]\n").find("at least one weight > 0"),
            std::string::npos);
  EXPECT_NE(config_error("name = \"steper\"\nsigma = 1.0\n").find("unknown key"), std::string::npos);
  for (const char* bad : {"0.0", "-1.0", "inf", "nan"})
    EXPECT_NE(config_error(std::string("name = \"steper\"\nlr_scale = ") + bad + "\n").find("finite number"),
              std::string::npos)
        << bad;
  EXPECT_NE(config_error("name = \"vanilla_kd\"\nweights = [1.0, 1.0, 1.0]\n").find("unknown key"), std::string::npos);
  EXPECT_THROW(make("name = \"vanilla_kd\"\n")->combine(kLosses, {F, L}, *std::make_unique<LossReport>()),
               std::invalid_argument);
}

}  // namespace
}  // namespace steper
