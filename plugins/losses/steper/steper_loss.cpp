// StepER's difficulty-aware loss (method.md section 4): one learnable s_j = log sigma_j^2 per
// step kind, trained with the model, and L = sum_j [ 1/2 exp(-s_j) L_j + 1/2 s_j ] over the
// kinds present in the batch (Kendall, Gal and Cipolla's homoscedastic-uncertainty weighting).
// A kind that stays hard gets a larger sigma and so a smaller weight.
#include <array>
#include <cmath>

#include <ATen/ATen.h>

#include "kind_means.hpp"
#include "steper/loss.hpp"

namespace {

using steper::kStepKindCount;
using steper::StepKind;

class SteperLoss : public steper::Loss {
 public:
  SteperLoss(steper::Settings& settings, steper::PluginContext&) {
    settings.get<std::string>("label", "StepER");  // read so the resolved settings carry it: the report's row name
    const double init = settings.get<double>("init", 0.0);  // s_j at the start: sigma_j = exp(init / 2)
    if (!std::isfinite(init)) settings.fail("init", "a finite log-variance");
    log_variance_ = at::full({kStepKindCount}, init, at::kFloat).set_requires_grad(true);  // (3) s_first, s_mid, s_final
    // Adam moves each s_j by about its learning rate per step, so at the model's rate the sigma_j
    // barely leave their start over a short run; a larger scale lets them reach L_j's level.
    lr_scale_ = settings.get<double>("lr_scale", 1.0);
    if (!(std::isfinite(lr_scale_) && lr_scale_ > 0)) settings.fail("lr_scale", "a finite number > 0");
  }

  bool uses(StepKind) const override { return true; }

  at::Tensor combine(const at::Tensor& per_sample, const std::vector<StepKind>& kinds,
                     steper::LossReport& report) override {
    const auto means = steper::losses::kind_means(per_sample, kinds);
    const auto s = log_variance_.to(per_sample.device());
    at::Tensor total = per_sample.sum() * 0;
    for (int j = 0; j < kStepKindCount; ++j) {
      report.kind_weight[j] = std::exp(0.5 * log_variance_[j].item<double>());  // sigma_j, logged every step
      if (!means[j].defined()) continue;
      report.kind_loss[j] = means[j].item<double>();
      total = total + 0.5 * at::exp(-s[j]) * means[j] + 0.5 * s[j];
    }
    return total;
  }

  std::vector<at::Tensor> parameters() override { return {log_variance_}; }
  double parameter_lr_scale() const override { return lr_scale_; }

 private:
  at::Tensor log_variance_;
  double lr_scale_;
};

}  // namespace

STEPER_PLUGIN(Loss, "steper", "1.0.0", SteperLoss)
