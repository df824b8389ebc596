// Paired significance of the difference between two methods scored on the same questions:
// a paired bootstrap confidence interval of the mean difference, and McNemar's exact test.
#pragma once

#include <cstdint>
#include <vector>

namespace steper {

struct BootstrapInterval {
  double mean = 0;           // the observed mean difference over every (seed, question)
  double low = 0, high = 0;  // percentile interval of the resampled means
};

// `differences[s][q]`: method A's score minus method B's on question q in seed s; every seed holds
// the same questions in the same order. Each resample draws the question indices with
// replacement (one draw applied to every seed) and averages the differences of the drawn
// (seed, question) pairs; low and high are the (1 - confidence) / 2 and (1 + confidence) / 2
// quantiles of those means (linear interpolation between order statistics). Deterministic for a
// given rng_seed. Throws std::invalid_argument for no questions, ragged seeds, resamples < 1 or a
// confidence outside (0, 1).
BootstrapInterval paired_bootstrap(const std::vector<std::vector<double>>& differences, int resamples = 10000,
                                   double confidence = 0.95, std::uint64_t rng_seed = 12345);

// Two-sided exact McNemar test: b pairs where only A is right, c where only B is right. The
// p-value of the two-sided binomial test of b against Binomial(b + c, 1/2), capped at 1; 1 when
// b + c = 0.
double mcnemar_exact(std::int64_t b, std::int64_t c);

}  // namespace steper
