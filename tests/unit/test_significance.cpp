// The paired statistics of `steper report --compare` against hand-computed values.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "significance.hpp"

namespace steper {
namespace {

// Two-sided exact p = 2 * P(X <= min(b, c)), X ~ Binomial(b + c, 1/2), capped at 1.
TEST(McNemarExact, SmallCountsAgainstHandComputedBinomials) {
  EXPECT_NEAR(mcnemar_exact(0, 5), 0.0625, 1e-12);          // 2 * 1/32
  EXPECT_NEAR(mcnemar_exact(5, 0), 0.0625, 1e-12);          // symmetric
  EXPECT_NEAR(mcnemar_exact(1, 9), 0.021484375, 1e-12);     // 2 * (1 + 10)/1024
  EXPECT_NEAR(mcnemar_exact(4, 1), 0.375, 1e-12);           // 2 * (1 + 5)/32
  EXPECT_DOUBLE_EQ(mcnemar_exact(5, 5), 1.0);               // 2 * 638/1024, capped
  EXPECT_DOUBLE_EQ(mcnemar_exact(0, 0), 1.0);               // no discordant pairs
  EXPECT_THROW(mcnemar_exact(-1, 3), std::invalid_argument);
}

TEST(McNemarExact, LargeCountsMatchTheNormalApproximation) {
  const double b = 4000, c = 4200;
  // Continuity-corrected normal: 2 * (1 - Phi((|b - c| - 1) / sqrt(b + c))).
  const double normal = std::erfc((std::abs(b - c) - 1) / std::sqrt(b + c) / std::sqrt(2.0));
  const double exact = mcnemar_exact(4000, 4200);
  EXPECT_NEAR(exact, normal, 0.001 * normal);
  EXPECT_NEAR(exact, 0.027972423571324383, 1e-9);  // the exact sum, computed with big integers
  EXPECT_GT(mcnemar_exact(100000, 100000), 0.99);  // no overflow or underflow at 2^-200000
  EXPECT_NEAR(mcnemar_exact(0, 1000) / std::pow(2.0, -999), 1.0, 1e-9);  // 2 * 2^-1000, near the smallest double
}

TEST(PairedBootstrap, IdenticalDifferencesCollapseTheInterval) {
  const BootstrapInterval interval = paired_bootstrap({{3, 3, 3}, {3, 3, 3}});
  EXPECT_DOUBLE_EQ(interval.mean, 3);
  EXPECT_DOUBLE_EQ(interval.low, 3);
  EXPECT_DOUBLE_EQ(interval.high, 3);
}

// Two questions with differences 0 and 1: a resample's mean is 0, 0.5 or 1 with probabilities
// 1/4, 1/2, 1/4, so the 95% interval is [0, 1] and the 40% one (quantiles 0.3, 0.7) is [0.5, 0.5].
TEST(PairedBootstrap, TinyCaseByHand) {
  BootstrapInterval interval = paired_bootstrap({{0, 1}});
  EXPECT_DOUBLE_EQ(interval.mean, 0.5);
  EXPECT_DOUBLE_EQ(interval.low, 0);
  EXPECT_DOUBLE_EQ(interval.high, 1);
  interval = paired_bootstrap({{0, 1}}, 10000, 0.4);
  EXPECT_DOUBLE_EQ(interval.low, 0.5);
  EXPECT_DOUBLE_EQ(interval.high, 0.5);
}

// Seeds {1, 0} and {1, -1}: questions average to 1 and -0.5 over the seeds. One draw of questions
// for every seed gives means 1, 0.25 or -0.5 (never e.g. 0, which independent draws per seed
// could give), so the interval is [-0.5, 1] around the observed 0.25.
TEST(PairedBootstrap, OneDrawOfQuestionsAppliesToEverySeed) {
  const BootstrapInterval interval = paired_bootstrap({{1, 0}, {1, -1}});
  EXPECT_DOUBLE_EQ(interval.mean, 0.25);
  EXPECT_DOUBLE_EQ(interval.low, -0.5);
  EXPECT_DOUBLE_EQ(interval.high, 1);
}

TEST(PairedBootstrap, DeterministicForTheFixedSeed) {
  std::vector<double> differences;
  for (int question = 0; question < 500; ++question)
    differences.push_back(question % 7 == 0 ? 1 : question % 11 == 0 ? -1 : 0);
  const BootstrapInterval first = paired_bootstrap({differences});
  const BootstrapInterval second = paired_bootstrap({differences});
  EXPECT_EQ(first.low, second.low);
  EXPECT_EQ(first.high, second.high);
  EXPECT_NEAR(first.mean, 0.066, 1e-12);  // 72 questions at +1, 39 at -1
  EXPECT_LT(first.low, first.mean);
  EXPECT_GT(first.high, first.mean);
  // Another RNG seed draws other resamples: the interval moves, but not far.
  const BootstrapInterval other = paired_bootstrap({differences}, 10000, 0.95, 7);
  EXPECT_NEAR(other.low, first.low, 0.01);
  EXPECT_NEAR(other.high, first.high, 0.01);
}

TEST(PairedBootstrap, RefusesBadInput) {
  EXPECT_THROW(paired_bootstrap({}), std::invalid_argument);
  EXPECT_THROW(paired_bootstrap({{}}), std::invalid_argument);
  EXPECT_THROW(paired_bootstrap({{1, 2}, {1}}), std::invalid_argument);
  EXPECT_THROW(paired_bootstrap({{1, 2}}, 0), std::invalid_argument);
  EXPECT_THROW(paired_bootstrap({{1, 2}}, 100, 1.0), std::invalid_argument);
}

}  // namespace
}  // namespace steper
