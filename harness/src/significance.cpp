#include "significance.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

namespace steper {
namespace {

// The q-quantile of sorted values, interpolating linearly between neighbouring order statistics.
double quantile(const std::vector<double>& sorted, double q) {
  const double position = q * static_cast<double>(sorted.size() - 1);
  const std::size_t below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (position - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

}  // namespace

BootstrapInterval paired_bootstrap(const std::vector<std::vector<double>>& differences, int resamples,
                                   double confidence, std::uint64_t rng_seed) {
  if (differences.empty() || differences.front().empty())
    throw std::invalid_argument("paired bootstrap: no questions to resample");
  if (resamples < 1) throw std::invalid_argument("paired bootstrap: resamples must be at least 1");
  if (!(confidence > 0 && confidence < 1)) throw std::invalid_argument("paired bootstrap: confidence must be in (0, 1)");
  const std::size_t questions = differences.front().size();
  // One draw of questions applies to every seed, so a resample's mean is the mean over the drawn
  // questions of each question's mean over the seeds.
  std::vector<double> per_question(questions, 0.0);
  for (const auto& seed : differences) {
    if (seed.size() != questions) throw std::invalid_argument("paired bootstrap: seeds hold different numbers of questions");
    for (std::size_t q = 0; q < questions; ++q) per_question[q] += seed[q] / static_cast<double>(differences.size());
  }
  BootstrapInterval interval;
  for (double value : per_question) interval.mean += value / static_cast<double>(questions);

  // rng() % n rather than std::uniform_int_distribution, whose output differs between standard
  // libraries; the modulo bias is below 2^-40 for any realistic number of questions.
  std::mt19937_64 rng(rng_seed);
  std::vector<double> means(static_cast<std::size_t>(resamples));
  for (auto& mean : means) {
    double sum = 0;
    for (std::size_t draw = 0; draw < questions; ++draw) sum += per_question[rng() % questions];
    mean = sum / static_cast<double>(questions);
  }
  std::sort(means.begin(), means.end());
  interval.low = quantile(means, (1 - confidence) / 2);
  interval.high = quantile(means, (1 + confidence) / 2);
  return interval;
}

double mcnemar_exact(std::int64_t b, std::int64_t c) {
  if (b < 0 || c < 0) throw std::invalid_argument("McNemar: negative count");
  const std::int64_t n = b + c;
  if (n == 0) return 1.0;
  // P(X <= min(b, c)) for X ~ Binomial(n, 1/2), summed in log space so that large n neither
  // overflows the binomial coefficients nor underflows 2^-n.
  const double log_half_n = -static_cast<double>(n) * std::log(2.0);
  const double log_n_factorial = std::lgamma(static_cast<double>(n) + 1);
  std::vector<double> log_terms;
  for (std::int64_t k = 0; k <= std::min(b, c); ++k)
    log_terms.push_back(log_n_factorial - std::lgamma(static_cast<double>(k) + 1) -
                        std::lgamma(static_cast<double>(n - k) + 1) + log_half_n);
  const double largest = *std::max_element(log_terms.begin(), log_terms.end());
  double scaled_sum = 0;
  for (double log_term : log_terms) scaled_sum += std::exp(log_term - largest);
  return std::min(1.0, 2 * std::exp(largest + std::log(scaled_sum)));
}

}  // namespace steper
