// The `oracle` teacher: a generation-only model for datasets with gold decompositions
// (synthetic, MuSiQue, 2WikiMultiHopQA). At each step it writes the next hop's fact, a sentence
// of the hop's supporting paragraph, but only when the prompt shows that paragraph; otherwise it
// writes what a model without the evidence would (see reasoning.hpp). After the last hop it
// writes the framework's answer sentence with the answer its sentences imply, so a wrong guess
// gives a wrong answer that the teacher filter removes. Formats: ircot (one sentence per step)
// and selfask ("Follow up: <sub-question>", then the fact as the intermediate answer).
// It reads the request's gold context (question, passage ids, what was written so far, the
// framework's answer sentence and follow-up prefix) and the passages' text from the prompt. Outputs respect request.stop and max_new_tokens (in words).
//
// Settings: guess ("retrieved" or "unknown"), error_rate (0: never; the chance that a hop is
// guessed although its evidence is shown, drawn per (cell seed, question, hop)),
// error_keeps_answer (false; true: a question whose only mistakes were injected still ends on
// the gold answer, so the filter lets those mistakes reach the student).
#include <algorithm>
#include <string>
#include <vector>

#include "plugin_support/text.hpp"
#include "prompt_passages.hpp"
#include "reasoning.hpp"
#include "steper/model.hpp"

namespace {

using namespace steper::oracle;
using steper::GenerationRequest;
using steper::GenerationResult;
using steper::support::count_words;

OracleOptions read_options(steper::Settings& settings, std::uint64_t seed) {
  OracleOptions options;
  const std::string guess = settings.get<std::string>("guess", "retrieved");
  bool known = false;
  for (const auto& [policy, name] : kGuessPolicyNames)
    if (guess == name) {
      options.guess = policy;
      known = true;
    }
  if (!known) settings.fail("guess", "\"retrieved\" or \"unknown\"");
  options.error_rate = settings.get<double>("error_rate", options.error_rate);
  if (!(options.error_rate >= 0 && options.error_rate <= 1)) settings.fail("error_rate", "a probability from 0 to 1");
  options.error_keeps_answer = settings.get<bool>("error_keeps_answer", options.error_keeps_answer);
  options.seed = seed;
  return options;
}

// The output cut before the first stop string and after max_new_tokens words.
GenerationResult finished(const std::string& output, const GenerationRequest& request) {
  GenerationResult result;
  result.finish_reason = "eos";
  std::size_t cut = output.size();
  for (const std::string& stop : request.stop)
    if (const std::size_t at = stop.empty() ? std::string::npos : output.find(stop); at < cut) {
      cut = at;
      result.finish_reason = "stop";
    }
  result.text = output.substr(0, cut);
  const int limit = std::max(request.max_new_tokens, 0);
  if (count_words(result.text) > limit) {
    result.text = limit == 0 ? std::string() : steper::support::truncate_words(result.text, limit);
    result.finish_reason = "length";
  }
  result.prompt_tokens = count_words(request.prompt);
  result.generated_tokens = count_words(result.text);
  return result;
}

GenerationResult failed(const std::string& why) {
  GenerationResult result;
  result.finish_reason = "error";
  result.error = why;
  return result;
}

class Oracle : public steper::Model {
 public:
  Oracle(steper::Settings& settings, steper::PluginContext& context) : options_(read_options(settings, context.seed())) {}

  std::vector<GenerationResult> generate(const std::vector<GenerationRequest>& requests) override {
    std::vector<GenerationResult> results;
    results.reserve(requests.size());
    for (const GenerationRequest& request : requests) {
      try {
        results.push_back(finished(write(request), request));
      } catch (const OracleError& e) {
        results.push_back(failed(e.what()));
      }
    }
    return results;
  }

  int count_tokens(const std::string& text) override { return count_words(text); }

 private:
  std::string write(const GenerationRequest& request) const {
    const steper::GoldContext& gold = request.gold;
    if (!gold.question)
      throw OracleError("oracle: the request names no question; the oracle needs a framework that fills in its gold "
                        "context (ircot, selfask)");
    if (gold.answer_prefix.empty())
      throw OracleError("oracle: the request gives no answer sentence (gold.answer_prefix); the framework '" +
                        gold.framework + "' does not fill in its gold context");
    const steper::Question& question = *gold.question;
    if (question.decomposition.empty())
      throw OracleError("oracle: question '" + question.id +
                        "' has no gold decomposition; the oracle needs a dataset with one (synthetic, musique, twowiki)");
    const std::vector<PromptPassage> passages = prompt_passages(request.prompt, gold.passage_ids);
    Reasoning reasoning(question, options_);
    const auto answer_sentence = [&] { return gold.answer_prefix + reasoning.final_answer() + gold.answer_suffix; };
    if (gold.follow_up_prefix.empty()) {  // one hop sentence per step (IRCoT)
      reasoning.replay(gold.previous);
      return reasoning.done() ? answer_sentence() : reasoning.write_next_hop(passages);
    }
    // Follow-ups (Self-Ask): previous alternates follow-up questions and their answers (the hop sentences).
    std::vector<std::string> hop_texts;
    for (std::size_t i = 1; i < gold.previous.size(); i += 2) hop_texts.push_back(gold.previous[i]);
    reasoning.replay(hop_texts);
    if (reasoning.done()) return answer_sentence();
    const bool wants_follow_up = gold.previous.size() % 2 == 0;
    return wants_follow_up ? gold.follow_up_prefix + reasoning.next_sub_question() : reasoning.write_next_hop(passages);
  }

  OracleOptions options_;
};

}  // namespace

STEPER_PLUGIN(Model, "oracle", "1.0.0", Oracle)
