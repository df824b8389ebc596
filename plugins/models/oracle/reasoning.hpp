// The oracle's reasoning over a question's gold decomposition. Each hop it writes either the
// fact that answers the hop's sub-question, taken from the supporting paragraph when the prompt
// shows it, or, without that evidence (or when an error is injected), what a model would guess.
// Hops it already wrote are read back from their text, so the state needs nothing but the
// request: a hop is right when its sentence mentions the gold answer, and a wrong hop's answer
// replaces the gold one in later sub-questions (a wrong bridge leads the chain astray).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "prompt_passages.hpp"
#include "steper/types.hpp"

namespace steper::oracle {

// What the oracle writes without evidence.
enum class GuessPolicy {
  retrieved,  // the shown sentence, not written before, that best fits the sub-question without its
              // gold answer (a plausible wrong bridge); "unknown" when no sentence shares a word with it
  unknown,    // that the passages do not say; the oracle then gives up on the question
};
inline constexpr struct {
  GuessPolicy policy;
  const char* name;
} kGuessPolicyNames[] = {{GuessPolicy::retrieved, "retrieved"}, {GuessPolicy::unknown, "unknown"}};

struct OracleOptions {
  GuessPolicy guess = GuessPolicy::retrieved;
  double error_rate = 0.0;          // chance that a hop is guessed although its evidence is shown
  bool error_keeps_answer = false;  // whether a question whose only mistakes were injected still ends on the gold answer
  std::uint64_t seed = 0;           // of the per-(question, hop) error draws
};

class Reasoning {
 public:
  // `question` must have a decomposition.
  Reasoning(const Question& question, const OracleOptions& options);

  // Reads back the hop sentences written so far, in order.
  void replay(const std::vector<std::string>& hop_texts);
  // Every hop is written, or the oracle gave up.
  bool done() const;
  // The next hop's sub-question, with earlier wrong answers in place of the gold ones.
  std::string next_sub_question() const;
  // The next hop's sentence, given the passages the prompt shows.
  std::string write_next_hop(const std::vector<PromptPassage>& passages) const;
  // The answer implied by what was written (the gold one when every hop was right).
  std::string final_answer() const;

  // Whether an error is injected at `hop` (0-based): a draw seeded by (seed, question id, hop).
  bool injected(std::size_t hop) const;

 private:
  struct Hop {
    std::string text;     // as written
    std::string implied;  // the answer the sentence gives
    bool right = false;
    bool derailed = false;  // its sub-question carried an earlier wrong answer
  };
  std::string sub_question(std::size_t hop) const;
  std::string guess(const std::string& sub_question, const std::string& gold,
                    const std::vector<PromptPassage>& passages) const;
  bool mistakes_all_injected() const;

  const Question& question_;
  OracleOptions options_;
  std::vector<Hop> hops_;  // replayed
  bool gave_up_ = false;
};

// The sentence the oracle writes when it cannot answer a sub-question.
std::string unknown_sentence(const std::string& sub_question);

}  // namespace steper::oracle
