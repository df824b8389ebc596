// An IRCoT-like framework (method.md section 6): retrieve with the question, write one
// sentence, retrieve with that sentence, and so on until a sentence gives the answer.
// All unfinished questions advance one step together, one model.generate call per step.
#include <algorithm>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include "steper/framework.hpp"

namespace {

using steper::Corpus;
using steper::Question;
using steper::StepKind;
using steper::StepSample;
using steper::Trajectory;

std::string trim(const std::string& text) {
  const auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return {};
  return text.substr(begin, text.find_last_not_of(" \t\r\n") - begin + 1);
}

// The first line, cut after the first ". " when there is one.
std::string first_sentence(const std::string& output) {
  std::string line = trim(output.substr(0, output.find('\n')));
  const auto end = line.find(". ");
  return end == std::string::npos ? line : line.substr(0, end + 1);
}

std::string join(const std::vector<std::string>& sentences) {
  std::string text;
  for (const auto& sentence : sentences) text += (text.empty() ? "" : " ") + sentence;
  return text;
}

// Adds ids not seen yet, in order, while fewer than `cap` passages are held.
void accumulate_passages(std::vector<std::string>& passages, const std::vector<std::string>& ids, int cap) {
  for (const auto& id : ids)
    if (passages.size() < static_cast<std::size_t>(cap) && std::find(passages.begin(), passages.end(), id) == passages.end())
      passages.push_back(id);
}

// Passages, then the question, then "A: " followed by each sentence so far and a space, so
// the prompt of step s is the prompt of step 1 continued by the sentences before s.
std::string render_prompt(const std::vector<std::string>& passage_ids, const Corpus& corpus,
                          const std::string& question, const std::vector<std::string>& sentences) {
  std::string prompt;
  for (const auto& id : passage_ids) {
    const auto& paragraph = corpus[corpus.doc_of(id)];
    prompt += (prompt.empty() ? "" : "\n\n") + std::string("Wikipedia Title: ") + paragraph.title + "\n" + paragraph.text;
  }
  prompt += "\n\nQ: " + question + "\nA: ";
  for (const auto& sentence : sentences) prompt += sentence + " ";
  return prompt;
}

class HopChain : public steper::Framework {
 public:
  HopChain(steper::Settings& settings, steper::PluginContext&)
      : k_(settings.get<int>("k", 2)),
        max_steps_(settings.get<int>("max_steps", 4)),
        max_passages_(settings.get<int>("max_passages", 6)),
        max_new_tokens_(settings.get<int>("max_new_tokens", 40)),
        target_(settings.get<std::string>("target", "cumulative")) {
    if (k_ < 1) settings.fail("k", "at least 1 passage per step");
    if (max_steps_ < 1) settings.fail("max_steps", "at least 1 step");
    if (max_passages_ < 1) settings.fail("max_passages", "at least 1 passage");
    if (max_new_tokens_ < 1) settings.fail("max_new_tokens", "at least 1 token");
    if (target_ != "cumulative" && target_ != "new") settings.fail("target", "\"cumulative\" or \"new\"");
  }

  std::vector<Trajectory> run(const std::vector<Question>& questions, steper::Model& model,
                              steper::Retriever& retriever, const Corpus& corpus) override {
    std::vector<Trajectory> trajectories(questions.size());
    std::vector<std::vector<std::string>> passages(questions.size()), sentences(questions.size());
    std::vector<std::size_t> running;
    for (std::size_t i = 0; i < questions.size(); ++i) {
      trajectories[i].question_id = questions[i].id;
      running.push_back(i);
    }
    for (int step = 1; step <= max_steps_ && !running.empty(); ++step) {
      std::vector<std::string> queries;
      for (const auto i : running) queries.push_back(step == 1 ? questions[i].text : sentences[i].back());
      const auto hits = retriever.search_batch(queries, k_);
      std::vector<steper::GenerationRequest> requests;
      for (std::size_t r = 0; r < running.size(); ++r) {
        const auto i = running[r];
        steper::TrajectoryStep trajectory_step;
        trajectory_step.query = queries[r];
        for (const auto& hit : hits.at(r)) {
          trajectory_step.paragraph_ids.push_back(corpus[hit.doc].id);
          trajectory_step.scores.push_back(hit.score);
        }
        accumulate_passages(passages[i], trajectory_step.paragraph_ids, max_passages_);
        trajectories[i].steps.push_back(std::move(trajectory_step));
        steper::GenerationRequest request;
        request.prompt = render_prompt(passages[i], corpus, questions[i].text, sentences[i]);
        request.max_new_tokens = max_new_tokens_;
        request.stop = {"\n"};
        request.gold.question = &questions[i];
        request.gold.passage_ids = passages[i];
        requests.push_back(std::move(request));
      }
      const auto results = model.generate(requests);
      if (results.size() != requests.size())
        throw std::runtime_error("hop_chain: the model returned " + std::to_string(results.size()) +
                                 " results for " + std::to_string(requests.size()) + " requests");
      std::vector<std::size_t> still_running;
      for (std::size_t r = 0; r < running.size(); ++r) {
        const auto i = running[r];
        auto& trajectory = trajectories[i];
        const std::string sentence = first_sentence(results[r].text);
        trajectory.steps.back().prompt_tokens = model.count_tokens(requests[r].prompt);
        trajectory.steps.back().generated = sentence;
        sentences[i].push_back(sentence);
        std::smatch match;
        if (std::regex_match(sentence, match, answer_pattern_)) {
          trajectory.answer = trim(match[1].str());
          if (!trajectory.answer.empty() && trajectory.answer.back() == '.') trajectory.answer.pop_back();
          trajectory.answer_found = true;
        } else if (sentence.empty() || step == max_steps_) {
          trajectory.answer = sentence;
        } else {
          still_running.push_back(i);
        }
      }
      running = std::move(still_running);
    }
    return trajectories;
  }

  // Step s of S teaches: first (s = 1 < S), mid (1 < s < S) or final (s = S). The final
  // sample's last sentence is always "So the answer is: <answer>.".
  std::vector<StepSample> step_samples(const Question& question, const Trajectory& trajectory,
                                       const Corpus& corpus) override {
    const int step_count = static_cast<int>(trajectory.steps.size());
    std::vector<std::string> sentences;
    for (const auto& step : trajectory.steps) sentences.push_back(step.generated);
    if (!sentences.empty()) sentences.back() = "So the answer is: " + trajectory.answer + ".";
    std::vector<StepSample> samples;
    std::vector<std::string> passages;
    for (int s = 1; s <= step_count; ++s) {
      accumulate_passages(passages, trajectory.steps[s - 1].paragraph_ids, max_passages_);
      StepSample sample;
      sample.question_id = question.id;
      sample.kind = s == step_count ? StepKind::final : s == 1 ? StepKind::first : StepKind::mid;
      sample.step = s;
      const auto this_sentence = sentences.begin() + (s - 1);
      if (target_ == "cumulative") {
        sample.prompt = render_prompt(passages, corpus, question.text, {});
        sample.target = join({sentences.begin(), this_sentence + 1});
      } else {
        sample.prompt = render_prompt(passages, corpus, question.text, {sentences.begin(), this_sentence});
        sample.target = *this_sentence;
      }
      samples.push_back(std::move(sample));
    }
    return samples;
  }

 private:
  int k_;               // passages retrieved per step
  int max_steps_;       // the step cap S_max
  int max_passages_;    // cap on the accumulated passages in a prompt
  int max_new_tokens_;  // per generated sentence
  std::string target_;  // "cumulative": the target repeats earlier sentences; "new": only this step's
  const std::regex answer_pattern_{".* answer is:? (.*)\\.?"};
};

}  // namespace

STEPER_PLUGIN(Framework, "hop_chain", "1.0.0", HopChain)
