#include "trajectory_stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "steper/metrics.hpp"

namespace steper {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double percent(double hits, double total) { return total > 0 ? 100.0 * hits / total : kNaN; }

// Whether step `s` (0-based) states hop `s`'s gold answer.
bool hop_stated(const Trajectory& t, const Question& q, std::size_t s) {
  return s < t.steps.size() && s < q.decomposition.size() && states_answer(t.steps[s].generated, q.decomposition[s].answer);
}

}  // namespace

const char* to_string(FilterOutcome outcome) {
  switch (outcome) {
    case FilterOutcome::kept: return "kept";
    case FilterOutcome::error: return "error";
    case FilterOutcome::no_answer: return "no_answer";
    case FilterOutcome::wrong_answer: return "wrong_answer";
    case FilterOutcome::unsupported_bridge: return "unsupported_bridge";
  }
  return "unknown";
}

bool states_answer(const std::string& text, const std::string& answer) {
  const std::string gold = normalize_answer(answer);
  if (gold.empty()) return false;
  // Whole words only: " 1950 " must not match inside "19505".
  return (" " + normalize_answer(text) + " ").find(" " + gold + " ") != std::string::npos;
}

FilterOutcome filter_trajectory(const Trajectory& trajectory, const Question& question, const std::string& filter,
                                bool bridge_check, const Corpus& corpus) {
  if (trajectory.end_reason.rfind("error", 0) == 0) return FilterOutcome::error;
  if (filter != "none") {
    if (!trajectory.answer_found) return FilterOutcome::no_answer;
    const AnswerScores scores = score_answer(trajectory.answer, question.answers);
    if ((filter == "em" ? scores.em : scores.acc) <= 0) return FilterOutcome::wrong_answer;
  }
  if (bridge_check && question.decomposition.size() > 1) {
    std::string retrieved_text;
    std::set<std::string> seen;
    for (std::size_t s = 0; s + 1 < question.decomposition.size(); ++s) {
      if (s >= trajectory.steps.size()) return FilterOutcome::unsupported_bridge;
      for (const auto& id : trajectory.steps[s].paragraph_ids)
        if (corpus.contains(id) && seen.insert(id).second) {
          const Paragraph& p = corpus[corpus.doc_of(id)];
          retrieved_text += " " + p.title + " " + p.text;
        }
      const std::string& bridge = question.decomposition[s].answer;
      if (!states_answer(trajectory.steps[s].generated, bridge) || !states_answer(retrieved_text, bridge))
        return FilterOutcome::unsupported_bridge;
    }
  }
  return FilterOutcome::kept;
}

std::vector<double> recall_per_step(const std::vector<Question>& questions, const std::vector<Trajectory>& trajectories) {
  std::size_t longest = 0;
  for (const auto& t : trajectories) longest = std::max(longest, t.steps.size());
  std::vector<double> sums(longest, 0.0);
  double counted = 0;
  for (std::size_t i = 0; i < questions.size() && i < trajectories.size(); ++i) {
    const auto& supporting = questions[i].supporting_paragraph_ids;
    if (supporting.empty()) continue;
    ++counted;
    std::set<std::string> retrieved;
    double recall = 0;
    for (std::size_t s = 0; s < longest; ++s) {
      if (s < trajectories[i].steps.size()) {
        for (const auto& id : trajectories[i].steps[s].paragraph_ids) retrieved.insert(id);
        const auto found = std::count_if(supporting.begin(), supporting.end(),
                                         [&](const std::string& id) { return retrieved.count(id) > 0; });
        recall = static_cast<double>(found) / static_cast<double>(supporting.size());
      }
      sums[s] += recall;
    }
  }
  if (counted == 0) return {};
  for (auto& sum : sums) sum = 100.0 * sum / counted;
  return sums;
}

AbilityScores ability_scores(const std::vector<Question>& questions, const std::vector<Trajectory>& trajectories) {
  double init_hits = 0, init_n = 0, expand_hits = 0, expand_n = 0, aggregate_hits = 0, aggregate_n = 0;
  for (std::size_t i = 0; i < questions.size() && i < trajectories.size(); ++i) {
    const Question& q = questions[i];
    const Trajectory& t = trajectories[i];
    const std::size_t hops = q.decomposition.size();
    if (hops < 2) continue;
    ++init_n;
    init_hits += hop_stated(t, q, 0);
    bool earlier_right = hop_stated(t, q, 0);
    for (std::size_t s = 1; s + 1 < hops && earlier_right; ++s) {
      ++expand_n;
      earlier_right = hop_stated(t, q, s);
      expand_hits += earlier_right;
    }
    if (earlier_right) {
      ++aggregate_n;
      aggregate_hits += score_answer(t.answer, q.answers).acc;
    }
  }
  return {percent(init_hits, init_n), percent(expand_hits, expand_n), percent(aggregate_hits, aggregate_n)};
}

}  // namespace steper
