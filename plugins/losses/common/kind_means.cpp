#include "kind_means.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>

#include <ATen/ATen.h>

namespace steper::losses {

std::array<at::Tensor, kStepKindCount> kind_means(const at::Tensor& per_sample, const std::vector<StepKind>& kinds) {
  if (per_sample.dim() != 1 || per_sample.size(0) != static_cast<std::int64_t>(kinds.size()))
    throw std::invalid_argument("loss: " + std::to_string(per_sample.numel()) + " per-sample losses for " +
                                std::to_string(kinds.size()) + " step kinds");
  std::array<at::Tensor, kStepKindCount> means;
  for (int j = 0; j < kStepKindCount; ++j) {
    std::vector<std::int64_t> rows;
    for (std::size_t b = 0; b < kinds.size(); ++b)
      if (static_cast<int>(kinds[b]) == j) rows.push_back(static_cast<std::int64_t>(b));
    if (rows.empty()) continue;
    means[j] = per_sample.index_select(/*dim=*/0, at::tensor(rows, at::kLong).to(per_sample.device())).mean();
  }
  return means;
}

}  // namespace steper::losses
