// A fixed-weight loss: L = sum over the step kinds present in a batch of weight_j * (mean
// loss of the samples of kind j), counting only the kinds listed in `kinds`.
#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <ATen/ATen.h>

#include "steper/loss.hpp"

namespace {

using steper::kStepKindCount;
using steper::StepKind;

class KindWeighted : public steper::Loss {
 public:
  KindWeighted(steper::Settings& settings, steper::PluginContext&) {
    const auto weights = settings.get<std::vector<double>>("weights", {1.0, 1.0, 1.0});
    if (weights.size() != static_cast<std::size_t>(kStepKindCount)) settings.fail("weights", "3 numbers: the weights of first, mid and final");
    for (int j = 0; j < kStepKindCount; ++j) {
      if (weights[j] < 0) settings.fail("weights", "non-negative weights");
      weights_[j] = weights[j];
    }
    const auto kinds = settings.get<std::vector<std::string>>("kinds", {"first", "mid", "final"});
    if (kinds.empty()) settings.fail("kinds", "at least one step kind");
    for (const auto& name : kinds) {
      try {
        used_[static_cast<int>(steper::step_kind_from_string(name))] = true;
      } catch (const std::invalid_argument& e) {
        settings.fail("kinds", std::string("step kinds: ") + e.what());
      }
    }
  }

  bool uses(StepKind kind) const override { return used_[static_cast<int>(kind)]; }

  // per_sample: (B)
  at::Tensor combine(const at::Tensor& per_sample, const std::vector<StepKind>& kinds,
                     steper::LossReport& report) override {
    if (per_sample.dim() != 1 || per_sample.size(0) != static_cast<std::int64_t>(kinds.size()))
      throw std::invalid_argument("kind_weighted: per_sample has shape " + shape_of(per_sample) + " but there are " +
                                  std::to_string(kinds.size()) + " kinds");
    at::Tensor total;  // 0-dim
    for (int j = 0; j < kStepKindCount; ++j) {
      std::vector<std::int64_t> samples;
      for (std::size_t b = 0; b < kinds.size(); ++b)
        if (static_cast<int>(kinds[b]) == j) samples.push_back(static_cast<std::int64_t>(b));
      if (!used_[j] || samples.empty()) continue;
      const auto index = at::tensor(samples, at::kLong).to(per_sample.device());
      const auto kind_loss = per_sample.index_select(/*dim=*/0, index).mean();
      total = total.defined() ? total + weights_[j] * kind_loss : weights_[j] * kind_loss;
      report.kind_loss[j] = kind_loss.item<double>();
      report.kind_weight[j] = weights_[j];
    }
    // With no used kind present: zero, but still part of the graph like any other result.
    return total.defined() ? total : per_sample.sum() * 0;
  }

 private:
  static std::string shape_of(const at::Tensor& tensor) {
    std::string shape;
    for (const auto size : tensor.sizes()) shape += (shape.empty() ? "(" : ",") + std::to_string(size);
    return shape.empty() ? "()" : shape + ")";
  }

  std::array<double, kStepKindCount> weights_{};  // lambda per kind, indexed by StepKind
  std::array<bool, kStepKindCount> used_{};        // kinds listed in `kinds`
};

}  // namespace

STEPER_PLUGIN(Loss, "kind_weighted", "1.0.0", KindWeighted)
