// The `ircot` framework (method.md section 6; Trivedi et al., ACL 2023). Step 1 retrieves with
// the question, each later step with the last sentence written (question words removed; the
// question again when that sentence only concludes). The model continues
//   <passages>\n\nQ: <question>\nA: <sentences so far>
// and the first sentence of its output is kept. A question ends on "... answer is: X", an empty
// sentence, an error, or the step cap. All running questions advance one step together, with
// one search_batch and one generate call per step.
//
// As in IRCoT's code the prompt's trailing white space is stripped, so it ends "A:" (step 1) or
// "A: <s1> ... <s_s-1>", and each sentence the model writes follows a space.
//
// Settings: k (4), max_steps (5), max_passages (15), passage_words (350; 0: whole passages),
// max_new_tokens (64), target ("cumulative" or "new"), final_answer ("gold" or "teacher"),
// passage_template ("Wikipedia Title: {title}\n{text}"), question_template ("Q: {question}\nA:"),
// demonstrations (a JSONL file of worked examples, see common/demonstrations.hpp; none).
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
using steper::Corpus;
using steper::GenerationRequest;
using steper::Question;
using steper::StepSample;
using steper::Trajectory;

constexpr const char* kName = "ircot";
const PromptTemplates kDefaultTemplates{"Wikipedia Title: {title}\n{text}", "Q: {question}\nA:"};

// What a sentence adds to the text after "A:".
std::string piece(const std::string& sentence) { return " " + sentence; }

std::vector<std::string> pieces(const std::vector<std::string>& sentences) {
  std::vector<std::string> out;
  for (const std::string& sentence : sentences) out.push_back(piece(sentence));
  return out;
}

struct QuestionState {
  PassageSet passages;
  std::vector<std::string> sentences;  // kept so far; the last one is the next query
};

class Ircot : public steper::Framework {
 public:
  Ircot(steper::Settings& settings, steper::PluginContext& context)
      : context_(context),
        settings_(FrameworkSettings::read(settings, kDefaultTemplates)),
        format_(*answer_format(kName)),
        renderer_(settings_.templates, settings_.passage_words) {
    std::vector<std::string> examples;
    for (const Demonstration& demo : settings_.demonstrations) {
      std::vector<TitledText> passages;
      for (const auto& passage : demo.passages) passages.push_back({passage.title, passage.text});
      std::vector<std::string> sentences;
      for (const auto& step : demo.steps) sentences.push_back(step.sentence);
      sentences.push_back(answer_sentence(format_, demo.answer));
      examples.push_back(renderer_.example(passages, demo.question, pieces(sentences)));
    }
    renderer_.set_demonstrations(examples);
  }

  std::vector<Trajectory> run(const std::vector<Question>& questions, steper::Model& model,
                              steper::Retriever& retriever, const Corpus& corpus) override {
    std::vector<Trajectory> trajectories(questions.size());
    std::vector<QuestionState> states;
    std::vector<std::size_t> running;
    for (std::size_t i = 0; i < questions.size(); ++i) {
      trajectories[i].question_id = questions[i].id;
      states.push_back({PassageSet(PassageMode::accumulate, settings_.max_passages), {}});
      running.push_back(i);
    }
    auto progress = context_.progress("ircot: questions answered", questions.size());
    const auto finish = [&](Trajectory& trajectory, std::string reason, std::string answer) {
      trajectory.end_reason = std::move(reason);
      trajectory.answer = std::move(answer);
      progress->advance();
    };
    for (int step = 1; step <= settings_.max_steps && !running.empty(); ++step) {
      std::vector<std::string> queries;
      for (const std::size_t i : running)
        queries.push_back(step == 1 ? questions[i].text : next_query(states[i].sentences.back(), questions[i].text));
      const std::vector<Retrieved> retrieved = retrieve_all(retriever, queries, settings_.k, corpus);
      std::vector<GenerationRequest> requests;
      std::vector<std::size_t> asked;
      for (std::size_t r = 0; r < running.size(); ++r) {
        const std::size_t i = running[r];
        trajectories[i].steps.push_back({queries[r], retrieved[r].ids, retrieved[r].scores, 0, ""});
        if (!retrieved[r].error.empty()) {
          finish(trajectories[i], "error: retriever: " + retrieved[r].error, "");
          continue;
        }
        states[i].passages.add(retrieved[r].ids);
        requests.push_back(request(questions[i], states[i], corpus));
        asked.push_back(i);
      }
      const auto results = generate_all(model, requests, kName);
      std::vector<std::size_t> still_running;
      for (std::size_t r = 0; r < asked.size(); ++r) {
        const std::size_t i = asked[r];
        Trajectory& trajectory = trajectories[i];
        steper::TrajectoryStep& record = trajectory.steps.back();
        record.prompt_tokens = results[r].prompt_tokens;
        if (const std::string error = generation_error(results[r]); !error.empty()) {
          finish(trajectory, error, "");
          continue;
        }
        record.generated = first_sentence(results[r].text);
        if (auto answer = extract_answer(format_, record.generated)) {
          trajectory.answer_found = true;
          finish(trajectory, "answer", std::move(*answer));
        } else if (record.generated.empty()) {
          finish(trajectory, "empty", "");
        } else if (step == settings_.max_steps) {
          finish(trajectory, "step_cap", record.generated);
        } else {
          states[i].sentences.push_back(record.generated);
          still_running.push_back(i);
        }
      }
      running = std::move(still_running);
    }
    return trajectories;
  }

  std::vector<StepSample> step_samples(const Question& question, const Trajectory& trajectory,
                                       const Corpus& corpus) override {
    if (!has_samples(trajectory)) return {};
    PassageSet passages(PassageMode::accumulate, settings_.max_passages);
    std::vector<std::string> bases, step_pieces;
    for (const auto& step : trajectory.steps) {
      passages.add(step.paragraph_ids);
      bases.push_back(renderer_.prompt(passages.ids(), corpus, question.text, {}));
      step_pieces.push_back(piece(step.generated));
    }
    step_pieces.back() =
        piece(answer_sentence(format_, final_sample_answer(settings_.final_answer, question, trajectory)));
    return cut_step_samples(question.id, settings_.target, bases, step_pieces);
  }

 private:
  GenerationRequest request(const Question& question, const QuestionState& state, const Corpus& corpus) const {
    GenerationRequest request;
    request.prompt = renderer_.prompt(state.passages.ids(), corpus, question.text, pieces(state.sentences));
    request.max_new_tokens = settings_.max_new_tokens;
    request.stop = {"\n"};
    request.gold.question = &question;
    request.gold.passage_ids = state.passages.ids();
    request.gold.previous = state.sentences;
    request.gold.framework = kName;
    request.gold.answer_prefix = format_.prefix;
    request.gold.answer_suffix = format_.suffix;
    return request;
  }

  steper::PluginContext& context_;
  FrameworkSettings settings_;
  const AnswerFormat& format_;
  PromptRenderer renderer_;
};

}  // namespace

STEPER_PLUGIN(Framework, "ircot", "1.0.0", Ircot)
