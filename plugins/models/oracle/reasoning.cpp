#include "reasoning.hpp"

#include <algorithm>
#include <cctype>

#include "comparison.hpp"
#include "evidence.hpp"
#include "steper/metrics.hpp"
#include "plugin_support/text.hpp"

namespace steper::oracle {
namespace {

constexpr std::string_view kUnknownPrefix = "The passages do not say ";

// A passage sentence the frameworks would take for an answer sentence is never written as a hop.
bool reads_as_answer(const std::string& sentence) { return sentence.find("answer is") != std::string::npos; }

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

std::uint64_t fnv1a(const std::string& text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return hash;
}

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

std::string unknown_sentence(const std::string& sub_question) {
  std::string asked = support::trim(sub_question);
  while (!asked.empty() && (asked.back() == '?' || asked.back() == '.')) asked.pop_back();
  if (!asked.empty()) asked[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(asked[0])));
  return std::string(kUnknownPrefix) + asked + ".";
}

Reasoning::Reasoning(const Question& question, const OracleOptions& options) : question_(question), options_(options) {}

void Reasoning::replay(const std::vector<std::string>& hop_texts) {
  hops_.clear();
  gave_up_ = false;
  for (const std::string& text : hop_texts) {
    if (done()) break;
    const std::size_t h = hops_.size();
    const DecompositionStep& gold = question_.decomposition[h];
    const std::string asked = sub_question(h);
    Hop hop;
    hop.text = text;
    hop.derailed = asked != gold.question;
    if (text.rfind(kUnknownPrefix, 0) == 0) {
      gave_up_ = true;
      hop.implied = "unknown";
    } else {
      hop.right = mentions(text, gold.answer);
      hop.implied = hop.right ? gold.answer : implied_answer(text, asked, gold.answer);
      if (hop.implied.empty()) hop.implied = "unknown";
    }
    hops_.push_back(std::move(hop));
  }
}

bool Reasoning::done() const { return gave_up_ || hops_.size() >= question_.decomposition.size(); }

std::string Reasoning::next_sub_question() const { return sub_question(hops_.size()); }

std::string Reasoning::sub_question(std::size_t hop) const {
  std::string text = question_.decomposition[hop].question;
  for (std::size_t j = 0; j < hop && j < hops_.size(); ++j)
    if (!hops_[j].right) replace_all(text, question_.decomposition[j].answer, hops_[j].implied);
  return text;
}

bool Reasoning::injected(std::size_t hop) const {
  if (options_.error_rate <= 0) return false;
  const std::uint64_t bits = splitmix64(options_.seed ^ fnv1a(question_.id) ^ (0x9e3779b97f4a7c15ULL * (hop + 1)));
  return static_cast<double>(bits >> 11) * 0x1.0p-53 < options_.error_rate;
}

std::string Reasoning::write_next_hop(const std::vector<PromptPassage>& passages) const {
  const std::size_t h = hops_.size();
  const DecompositionStep& gold = question_.decomposition[h];
  const std::string asked = sub_question(h);
  if (asked == gold.question && !injected(h)) {
    // The fact: the supporting paragraph's sentence that states the answer and best fits the question.
    std::string fact;
    int best = -1;
    for (const PromptPassage& passage : passages) {
      if (!gold.paragraph_id.empty() && passage.id != gold.paragraph_id) continue;
      for (const std::string& sentence : support::split_sentences(passage.text)) {
        if (!mentions(sentence, gold.answer) || reads_as_answer(sentence)) continue;
        if (const int score = overlap(asked, sentence); score > best) {
          best = score;
          fact = resolve_pronoun(sentence, passage.title);
        }
      }
    }
    if (!fact.empty()) return fact;
  }
  return guess(asked, gold.answer, passages);
}

std::string Reasoning::guess(const std::string& sub_question, const std::string& gold,
                             const std::vector<PromptPassage>& passages) const {
  if (options_.guess == GuessPolicy::unknown) return unknown_sentence(sub_question);
  // A guess shares at least one content word with the sub-question; with none the oracle says
  // it does not know.
  std::string chosen;
  int best = 0;
  for (const PromptPassage& passage : passages)
    for (const std::string& raw : support::split_sentences(passage.text)) {
      const std::string sentence = resolve_pronoun(raw, passage.title);
      const bool written = std::any_of(hops_.begin(), hops_.end(), [&](const Hop& hop) { return hop.text == sentence; });
      if (written || mentions(sentence, gold) || reads_as_answer(sentence) ||
          implied_answer(sentence, sub_question, gold).empty())
        continue;
      if (const int score = overlap(sub_question, passage.title + " " + sentence); score > best) {
        best = score;
        chosen = sentence;
      }
    }
  return chosen.empty() ? unknown_sentence(sub_question) : chosen;
}

bool Reasoning::mistakes_all_injected() const {
  for (std::size_t h = 0; h < hops_.size(); ++h)
    if (!hops_[h].right && !hops_[h].derailed && !injected(h)) return false;
  return true;
}

std::string Reasoning::final_answer() const {
  const auto& steps = question_.decomposition;
  const std::string& gold = question_.answers.empty() ? steps.back().answer : question_.answers.front();
  const bool all_right = !gave_up_ && hops_.size() == steps.size() &&
                         std::all_of(hops_.begin(), hops_.end(), [](const Hop& hop) { return hop.right; });
  if (all_right || (options_.error_keeps_answer && mistakes_all_injected())) return gold;
  if (gave_up_) return "unknown";
  std::vector<std::string> implied;
  for (const Hop& hop : hops_) implied.push_back(hop.implied);
  if (auto answer = comparison_answer(question_, implied)) return *answer;
  if (normalize_answer(steps.back().answer) == normalize_answer(gold)) return hops_.back().implied;
  return "unknown";
}

}  // namespace steper::oracle
