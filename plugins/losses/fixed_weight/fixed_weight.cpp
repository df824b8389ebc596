// Fixed-weight step-wise loss (method.md section 4): L = sum_j lambda_j L_j over the step kinds
// present in the batch. The paper's ablation uses (1, 1, 1), (1.5, 1, 0.5) and (0.5, 1, 1.5).
#include <array>
#include <sstream>

#include <ATen/ATen.h>

#include "kind_means.hpp"
#include "steper/loss.hpp"

namespace {

using steper::kStepKindCount;
using steper::StepKind;

class FixedWeight : public steper::Loss {
 public:
  FixedWeight(steper::Settings& settings, steper::PluginContext&) {
    const auto weights = settings.get<std::vector<double>>("weights", {1.0, 1.0, 1.0});
    if (weights.size() != static_cast<std::size_t>(kStepKindCount))
      settings.fail("weights", "3 numbers: the weights of the first, mid and final samples");
    for (int j = 0; j < kStepKindCount; ++j) {
      if (!(weights[j] >= 0)) settings.fail("weights", "weights >= 0");
      weights_[j] = weights[j];
    }
    if (weights_[0] + weights_[1] + weights_[2] <= 0) settings.fail("weights", "at least one weight > 0");
    // Read so the resolved settings carry it: the report's row name, the weights as the paper writes them.
    std::ostringstream label;
    label << "fixed λ = (" << weights_[0] << ", " << weights_[1] << ", " << weights_[2] << ")";
    settings.get<std::string>("label", label.str());
  }

  // A kind weighted 0 is not trained on at all, so its samples do not take batch slots.
  bool uses(StepKind kind) const override { return weights_[static_cast<int>(kind)] > 0; }

  at::Tensor combine(const at::Tensor& per_sample, const std::vector<StepKind>& kinds,
                     steper::LossReport& report) override {
    const auto means = steper::losses::kind_means(per_sample, kinds);
    at::Tensor total = per_sample.sum() * 0;  // 0-dim, in the graph even when no kind is present
    for (int j = 0; j < kStepKindCount; ++j) {
      report.kind_weight[j] = weights_[j];
      if (!means[j].defined()) continue;
      report.kind_loss[j] = means[j].item<double>();
      total = total + weights_[j] * means[j];
    }
    return total;
  }

 private:
  std::array<double, kStepKindCount> weights_{};  // lambda_first, lambda_mid, lambda_final
};

}  // namespace

STEPER_PLUGIN(Loss, "fixed_weight", "1.0.0", FixedWeight)
