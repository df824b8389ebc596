// Vanilla knowledge distillation (method.md section 4): L = L_final, trained on the final
// step-wise samples only: the whole reasoning path given all passages.
#include <ATen/ATen.h>

#include "kind_means.hpp"
#include "steper/loss.hpp"

namespace {

using steper::StepKind;

class VanillaKd : public steper::Loss {
 public:
  // `label` is read only so that the cell's resolved settings carry it: reports name the row by it.
  VanillaKd(steper::Settings& settings, steper::PluginContext&) { settings.get<std::string>("label", "vanilla-KD"); }

  bool uses(StepKind kind) const override { return kind == StepKind::final; }

  at::Tensor combine(const at::Tensor& per_sample, const std::vector<StepKind>& kinds,
                     steper::LossReport& report) override {
    constexpr int kFinal = static_cast<int>(StepKind::final);
    const auto means = steper::losses::kind_means(per_sample, kinds);
    if (!means[kFinal].defined()) return per_sample.sum() * 0;  // no final sample: nothing to learn
    report.kind_loss[kFinal] = means[kFinal].item<double>();
    report.kind_weight[kFinal] = 1.0;
    return means[kFinal];
  }
};

}  // namespace

STEPER_PLUGIN(Loss, "vanilla_kd", "1.0.0", VanillaKd)
