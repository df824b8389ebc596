// Loss plugins combine the per-sample target losses of a batch, grouped by step kind, into
// the scalar the trainer minimises. A loss may own learnable parameters (StepER's s_j).
#pragma once

#include <array>
#include <limits>
#include <vector>

#include <ATen/core/Tensor.h>

#include "steper/api.hpp"
#include "steper/context.hpp"
#include "steper/settings.hpp"
#include "steper/types.hpp"

namespace steper {

// What a loss reports for the training log, indexed by StepKind. NaN where a kind is absent.
struct LossReport {
  std::array<double, kStepKindCount> kind_loss;
  std::array<double, kStepKindCount> kind_weight;  // the effective weight (or sigma) per kind
  LossReport() {
    kind_loss.fill(std::numeric_limits<double>::quiet_NaN());
    kind_weight.fill(std::numeric_limits<double>::quiet_NaN());
  }
};

class Loss : public Plugin {
 public:
  static constexpr const char* kKindName = "loss";
  ~Loss() override;
  // Whether samples of this kind are trained on at all (vanilla KD: final only).
  virtual bool uses(StepKind kind) const = 0;
  // per_sample: (B) losses; kinds: B entries. Returns a 0-dim tensor and fills report.
  virtual at::Tensor combine(const at::Tensor& per_sample, const std::vector<StepKind>& kinds,
                             LossReport& report) = 0;
  // Learnable parameters the trainer optimises with the model's.
  virtual std::vector<at::Tensor> parameters() { return {}; }
  // Their learning rate as a multiple of the model's, under the same schedule.
  virtual double parameter_lr_scale() const { return 1.0; }
};

}  // namespace steper
