// The `selfask` framework (method.md section 7; Press et al., 2022) with retrieval. The text
// after the passages reads
//   Question: <question>
//   Are follow up questions needed here: Yes.
//   Follow up: <sub-question>
//   Intermediate answer: <answer>
//   ...
//   So the final answer is: <answer>
// A step is one (follow-up, intermediate answer) pair, made by two batched generate calls:
// the model writes the next line ("Follow up: ..." or the final answer); then, from step 2 on,
// the follow-up (question words removed) retrieves k passages; then the model writes the
// intermediate answer after "Intermediate answer:". Step 1 retrieves with the question before
// its first call. The last step is the final answer. A question also ends on an empty output,
// an error, or the step cap.
//
// GenerationRequest::previous holds the outputs of the question's earlier calls as kept:
// "Follow up: <q1>", "<a1>", "Follow up: <q2>", ... (so a call for an intermediate answer has an
// odd count). A step's TrajectoryStep::generated is "Follow up: <q>\nIntermediate answer: <a>",
// or the final answer line; a final-answer step retrieves nothing and has an empty query.
//
// Settings: those of ircot (see ircot.cpp) with question_template
// ("Question: {question}\nAre follow up questions needed here: Yes.\n"), plus passage_mode
// ("accumulate", or "replace": a prompt shows only the last retrieval's passages, as FlashRAG).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "answer_format.hpp"
#include "batch_calls.hpp"
#include "framework_settings.hpp"
#include "passage_set.hpp"
#include "plugin_support/text.hpp"
#include "prompt.hpp"
#include "query.hpp"
#include "step_samples.hpp"
#include "steper/framework.hpp"

namespace {

using namespace steper::frameworks;
using steper::support::first_sentence;
using steper::support::trim;
using steper::Corpus;
using steper::GenerationRequest;
using steper::GenerationResult;
using steper::Question;
using steper::StepSample;
using steper::Trajectory;

constexpr const char* kName = "selfask";
constexpr const char* kFollowUp = "Follow up:";
constexpr const char* kIntermediate = "Intermediate answer:";
const PromptTemplates kDefaultTemplates{"Wikipedia Title: {title}\n{text}",
                                        "Question: {question}\nAre follow up questions needed here: Yes.\n"};

// A step's text: "Follow up: <q>\nIntermediate answer: <a>" (the colon ends it while a is empty).
std::string step_text(const std::string& follow_up, const std::string& answer) {
  return std::string(kFollowUp) + " " + follow_up + "\n" + kIntermediate + (answer.empty() ? "" : " " + answer);
}

// What a step adds to the prompt: its lines, each ended by a line break.
std::string piece(const std::string& text) { return text + "\n"; }

// The follow-up question of a line, with or without its "Follow up:" label.
std::string follow_up_of(const std::string& line) {
  const std::string label = kFollowUp;
  return trim(line.rfind(label, 0) == 0 ? line.substr(label.size()) : line);
}

PassageMode read_passage_mode(steper::Settings& settings) {
  PassageMode mode = PassageMode::accumulate;
  if (!passage_mode_from_string(settings.get<std::string>("passage_mode", "accumulate"), mode))
    settings.fail("passage_mode", "\"accumulate\" or \"replace\"");
  return mode;
}

struct QuestionState {
  PassageSet passages;
  std::vector<std::string> pieces;   // one per finished step
  std::vector<std::string> outputs;  // request.gold.previous: each call's kept output
  std::string follow_up;             // of the current step
};

// What a batch run needs of the framework.
struct Config {
  const FrameworkSettings& settings;
  PassageMode passage_mode;
  const AnswerFormat& format;
  const PromptRenderer& renderer;
};

// One run over a batch of questions: the state of every question and the calls of a step.
class Batch {
 public:
  Batch(const Config& config, const std::vector<Question>& questions, const Corpus& corpus,
        steper::PluginContext& context)
      : config_(config), questions_(questions), corpus_(corpus), trajectories_(questions.size()),
        progress_(context.progress("selfask: questions answered", questions.size())) {
    for (std::size_t i = 0; i < questions.size(); ++i) {
      trajectories_[i].question_id = questions[i].id;
      states_.push_back({PassageSet(config.passage_mode, config.settings.max_passages), {}, {}, {}});
    }
  }

  std::vector<Trajectory> run(steper::Model& model, steper::Retriever& retriever) {
    std::vector<std::size_t> running;
    for (std::size_t i = 0; i < questions_.size(); ++i) running.push_back(i);
    const int max_steps = config_.settings.max_steps;
    for (int step = 1; step <= max_steps && !running.empty(); ++step) {
      for (const std::size_t i : running) trajectories_[i].steps.emplace_back();
      if (step == 1) {
        std::vector<std::string> queries;
        for (const std::size_t i : running) queries.push_back(questions_[i].text);
        running = retrieve(running, queries, retriever);
      }
      running = ask_next_line(running, model);
      if (step > 1) {
        std::vector<std::string> queries;
        for (const std::size_t i : running) queries.push_back(next_query(states_[i].follow_up, questions_[i].text));
        running = retrieve(running, queries, retriever);
      }
      running = ask_intermediate_answer(running, model, step == max_steps);
    }
    return std::move(trajectories_);
  }

 private:
  void finish(std::size_t i, std::string reason, std::string answer) {
    trajectories_[i].end_reason = std::move(reason);
    trajectories_[i].answer = std::move(answer);
    progress_->advance();
  }

  // Retrieves for the current step of each question; returns those whose retrieval worked.
  std::vector<std::size_t> retrieve(const std::vector<std::size_t>& running, const std::vector<std::string>& queries,
                                    steper::Retriever& retriever) {
    const std::vector<Retrieved> retrieved = retrieve_all(retriever, queries, config_.settings.k, corpus_);
    std::vector<std::size_t> kept;
    for (std::size_t r = 0; r < running.size(); ++r) {
      const std::size_t i = running[r];
      auto& record = trajectories_[i].steps.back();
      record.query = queries[r];
      record.paragraph_ids = retrieved[r].ids;
      record.scores = retrieved[r].scores;
      if (!retrieved[r].error.empty()) {
        finish(i, "error: retriever: " + retrieved[r].error, "");
        continue;
      }
      states_[i].passages.add(retrieved[r].ids);
      kept.push_back(i);
    }
    return kept;
  }

  GenerationRequest request(std::size_t i, const std::string& prompt_tail) const {
    const Question& question = questions_[i];
    const QuestionState& state = states_[i];
    GenerationRequest request;
    request.prompt = config_.renderer.prompt(state.passages.ids(), corpus_, question.text, state.pieces) + prompt_tail;
    request.max_new_tokens = config_.settings.max_new_tokens;
    request.stop = {"\n"};
    request.gold.question = &question;
    request.gold.passage_ids = state.passages.ids();
    request.gold.previous = state.outputs;
    request.gold.framework = kName;
    request.gold.answer_prefix = config_.format.prefix;
    request.gold.answer_suffix = config_.format.suffix;
    request.gold.follow_up_prefix = std::string(kFollowUp) + " ";
    return request;
  }

  // One batched call; per question its kept output, or (`ok` false) nothing when the model
  // failed for it, which finishes the question. `tail` ends each question's prompt.
  struct Output {
    bool ok = false;
    std::string line;
  };
  std::vector<Output> call(const std::vector<std::size_t>& running, steper::Model& model,
                           const std::function<std::string(std::size_t)>& tail) {
    std::vector<GenerationRequest> requests;
    for (const std::size_t i : running) requests.push_back(request(i, tail(i)));
    const std::vector<GenerationResult> results = generate_all(model, requests, kName);
    std::vector<Output> outputs(running.size());
    for (std::size_t r = 0; r < running.size(); ++r) {
      const std::size_t i = running[r];
      trajectories_[i].steps.back().prompt_tokens = results[r].prompt_tokens;
      if (const std::string error = generation_error(results[r]); !error.empty()) {
        finish(i, error, "");
        continue;
      }
      outputs[r] = {true, first_sentence(results[r].text)};
    }
    return outputs;
  }

  // The next line: a follow-up (kept running) or the final answer / nothing (finished).
  std::vector<std::size_t> ask_next_line(const std::vector<std::size_t>& running, steper::Model& model) {
    const std::vector<Output> outputs = call(running, model, [](std::size_t) { return std::string(); });
    std::vector<std::size_t> kept;
    for (std::size_t r = 0; r < running.size(); ++r) {
      if (!outputs[r].ok) continue;
      const std::size_t i = running[r];
      const std::string& line = outputs[r].line;
      Trajectory& trajectory = trajectories_[i];
      if (auto answer = extract_answer(config_.format, line)) {
        trajectory.steps.back().generated = line;
        trajectory.answer_found = true;
        finish(i, "answer", std::move(*answer));
      } else if (follow_up_of(line).empty()) {
        trajectory.steps.back().generated = line;
        finish(i, "empty", "");
      } else {
        states_[i].follow_up = follow_up_of(line);
        states_[i].outputs.push_back(std::string(kFollowUp) + " " + states_[i].follow_up);
        kept.push_back(i);
      }
    }
    return kept;
  }

  // The intermediate answer to the step's follow-up; at the step cap it ends the question.
  std::vector<std::size_t> ask_intermediate_answer(const std::vector<std::size_t>& running, steper::Model& model,
                                                   bool last_step) {
    const std::vector<Output> outputs = call(running, model, [&](std::size_t i) {
      return std::string(kFollowUp) + " " + states_[i].follow_up + "\n" + kIntermediate;
    });
    std::vector<std::size_t> kept;
    for (std::size_t r = 0; r < running.size(); ++r) {
      if (!outputs[r].ok) continue;
      const std::size_t i = running[r];
      const std::string& answer = outputs[r].line;
      QuestionState& state = states_[i];
      Trajectory& trajectory = trajectories_[i];
      trajectory.steps.back().generated = step_text(state.follow_up, answer);
      if (auto final_answer = extract_answer(config_.format, answer)) {
        trajectory.answer_found = true;
        finish(i, "answer", std::move(*final_answer));
      } else if (answer.empty()) {
        finish(i, "empty", "");
      } else {
        state.outputs.push_back(answer);
        state.pieces.push_back(piece(trajectory.steps.back().generated));
        if (last_step)
          finish(i, "step_cap", answer);
        else
          kept.push_back(i);
      }
    }
    return kept;
  }

  const Config& config_;
  const std::vector<Question>& questions_;
  const Corpus& corpus_;
  std::vector<Trajectory> trajectories_;
  std::vector<QuestionState> states_;
  std::unique_ptr<steper::Progress> progress_;
};

class SelfAsk : public steper::Framework {
 public:
  SelfAsk(steper::Settings& settings, steper::PluginContext& context)
      : context_(context),
        settings_(FrameworkSettings::read(settings, kDefaultTemplates)),
        passage_mode_(read_passage_mode(settings)),
        format_(*answer_format(kName)),
        renderer_(settings_.templates, settings_.passage_words) {
    std::vector<std::string> examples;
    for (const Demonstration& demo : settings_.demonstrations) {
      std::vector<TitledText> passages;
      for (const auto& passage : demo.passages) passages.push_back({passage.title, passage.text});
      std::vector<std::string> pieces;
      for (std::size_t s = 0; s < demo.steps.size(); ++s) {
        if (demo.steps[s].follow_up.empty())
          settings.fail("demonstrations", "demonstrations whose every step has a follow_up (selfask shows them); line " +
                                              std::to_string(demo.line) + ", steps[" + std::to_string(s) + "] has none");
        pieces.push_back(piece(step_text(demo.steps[s].follow_up, demo.steps[s].sentence)));
      }
      pieces.push_back(piece(answer_sentence(format_, demo.answer)));
      examples.push_back(renderer_.example(passages, demo.question, pieces));
    }
    renderer_.set_demonstrations(examples);
  }

  std::vector<Trajectory> run(const std::vector<Question>& questions, steper::Model& model,
                              steper::Retriever& retriever, const Corpus& corpus) override {
    const Config config{settings_, passage_mode_, format_, renderer_};
    return Batch(config, questions, corpus, context_).run(model, retriever);
  }

  std::vector<StepSample> step_samples(const Question& question, const Trajectory& trajectory,
                                       const Corpus& corpus) override {
    if (!has_samples(trajectory)) return {};
    PassageSet passages(passage_mode_, settings_.max_passages);
    std::vector<std::string> bases, pieces;
    for (const auto& step : trajectory.steps) {
      if (!step.query.empty()) passages.add(step.paragraph_ids);
      bases.push_back(renderer_.prompt(passages.ids(), corpus, question.text, {}));
      pieces.push_back(piece(step.generated));
    }
    pieces.back() = piece(answer_sentence(format_, final_sample_answer(settings_.final_answer, question, trajectory)));
    return cut_step_samples(question.id, settings_.target, bases, pieces);
  }

 private:
  steper::PluginContext& context_;
  FrameworkSettings settings_;
  PassageMode passage_mode_;
  const AnswerFormat& format_;
  PromptRenderer renderer_;
};

}  // namespace

STEPER_PLUGIN(Framework, "selfask", "1.0.0", SelfAsk)
