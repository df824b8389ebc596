// The common types that flow between plugins: corpus paragraphs, questions, retrieval hits,
// trajectories, step-wise samples and generation requests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace steper {

struct Paragraph {
  std::string id;
  std::string title;
  std::string text;
};

// The retrieval corpus: paragraphs in a fixed order plus a lookup by id.
class Corpus {
 public:
  Corpus() = default;
  explicit Corpus(std::vector<Paragraph> paragraphs);
  const std::vector<Paragraph>& paragraphs() const { return paragraphs_; }
  std::size_t size() const { return paragraphs_.size(); }
  const Paragraph& operator[](std::size_t doc) const { return paragraphs_[doc]; }
  // Position of the paragraph with this id; throws std::out_of_range naming the id.
  std::size_t doc_of(const std::string& id) const;
  bool contains(const std::string& id) const { return by_id_.count(id) != 0; }

 private:
  std::vector<Paragraph> paragraphs_;
  std::unordered_map<std::string, std::size_t> by_id_;
};

// One hop of a gold decomposition (MuSiQue question_decomposition, 2Wiki evidences, synthetic).
struct DecompositionStep {
  std::string question;
  std::string answer;
  std::string paragraph_id;  // the paragraph that supports this hop; empty when unknown
};

struct Question {
  std::string id;
  std::string text;
  std::vector<std::string> answers;  // the gold answer first, then its aliases
  std::vector<std::string> supporting_paragraph_ids;
  std::vector<DecompositionStep> decomposition;
  std::string type;  // e.g. "compositional", "comparison"
  int hops = 0;
};

enum class Split { train, dev, test };
const char* to_string(Split split);
Split split_from_string(std::string_view name);  // throws std::invalid_argument

struct RetrievalHit {
  std::size_t doc = 0;  // position in the Corpus the retriever indexed
  double score = 0.0;
};

// One retrieve -> generate step of a multi-step framework.
struct TrajectoryStep {
  std::string query;
  std::vector<std::string> paragraph_ids;  // retrieved at this step, best first
  std::vector<double> scores;              // one per paragraph id
  int prompt_tokens = 0;
  std::string generated;  // the sentence kept from the model's output
};

struct Trajectory {
  std::string question_id;
  std::vector<TrajectoryStep> steps;
  std::string answer;         // extracted by the framework's answer pattern, or the last output
  bool answer_found = false;  // whether the answer pattern matched
  // Why the question stopped: "answer", "empty" (an empty generation), "step_cap", or
  // "error: <what>" (the model or retriever failed for this question).
  std::string end_reason;
};

// The three reasoning abilities of StepER (method.md section 3).
enum class StepKind { first, mid, final };
inline constexpr int kStepKindCount = 3;
inline constexpr struct {
  StepKind kind;
  const char* name;
} kStepKindNames[] = {{StepKind::first, "first"}, {StepKind::mid, "mid"}, {StepKind::final, "final"}};
const char* to_string(StepKind kind);
StepKind step_kind_from_string(std::string_view name);  // throws std::invalid_argument

// One training sample: the model reads `prompt` and is scored on `target` (teacher forcing).
struct StepSample {
  std::string question_id;
  StepKind kind = StepKind::final;
  int step = 0;  // 1-based step of the trajectory this sample teaches
  std::string prompt;
  std::string target;
};

// What a model that writes from gold data (the oracle) or replays recorded outputs (replay)
// needs besides the prompt; the framework fills it in, ordinary models ignore it.
struct GoldContext {
  const Question* question = nullptr;
  std::vector<std::string> passage_ids;  // the passages in the prompt, in order
  std::vector<std::string> previous;     // what the model wrote at the earlier steps of this question
  std::string framework;                 // whose format the prompt is in, as a recording names it
  // The framework's format, so that such a model needs no table of frameworks: the answer
  // sentence is answer_prefix + answer + answer_suffix; a follow_up_prefix says that a step is
  // a follow-up question (follow_up_prefix + sub-question) and then its answer, as in Self-Ask.
  std::string answer_prefix;
  std::string answer_suffix;
  std::string follow_up_prefix;
};

struct GenerationRequest {
  std::string prompt;
  int max_new_tokens = 64;
  std::vector<std::string> stop;  // generation ends before the first occurrence of any
  double temperature = 0.0;       // 0: greedy
  double top_p = 1.0;
  std::uint64_t seed = 0;
  GoldContext gold;
};

struct GenerationResult {
  std::string text;
  int prompt_tokens = 0;
  int generated_tokens = 0;
  std::string finish_reason;  // "stop", "length", "eos", or "error" (then `error` says what)
  std::string error;          // why this request could not be answered; the question ends there
};

}  // namespace steper
