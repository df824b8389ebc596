// The mean target loss of each step kind present in a batch (method.md section 4: a kind
// absent from a batch contributes nothing).
#pragma once

#include <array>
#include <vector>

#include <ATen/core/Tensor.h>

#include "steper/types.hpp"

namespace steper::losses {

// per_sample: (B); kinds: B entries. Entry j is a 0-dim tensor, undefined when no sample of
// kind j is in the batch. Throws std::invalid_argument when the sizes disagree.
std::array<at::Tensor, kStepKindCount> kind_means(const at::Tensor& per_sample, const std::vector<StepKind>& kinds);

}  // namespace steper::losses
