// A teacher that reads the gold decomposition of the question it is asked about: it writes
// the next hop's answer when that hop's paragraph is in the prompt, the final answer when the
// last hop's paragraph is, and a wrong guess otherwise. Generation only; words are tokens.
#include <algorithm>
#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "steper/model.hpp"

namespace {

using steper::DecompositionStep;
using steper::GenerationRequest;
using steper::GenerationResult;

constexpr const char* kWrongAnswer = "unknown";

std::vector<std::string> words_of(const std::string& text) {
  std::istringstream stream(text);
  std::vector<std::string> words;
  for (std::string word; stream >> word;) words.push_back(word);
  return words;
}

std::string hop_sentence(const DecompositionStep& hop) {
  return "The answer to '" + hop.question + "' is " + hop.answer + ".";
}

// A number in [0, 1) fixed by the seed and the question id (FNV-1a, then splitmix64's mixer).
double uniform_for(std::uint64_t seed, const std::string& question_id) {
  std::uint64_t x = 14695981039346656037ull ^ seed;
  for (const char c : question_id) x = (x ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  x ^= x >> 31;
  return static_cast<double>(x >> 11) * 0x1.0p-53;
}

class GoldReader : public steper::Model {
 public:
  GoldReader(steper::Settings& settings, steper::PluginContext& context)
      : error_rate_(settings.get<double>("error_rate", 0.0)), seed_(context.seed()) {
    if (error_rate_ < 0.0 || error_rate_ > 1.0) settings.fail("error_rate", "a probability from 0 to 1");
  }

  std::vector<GenerationResult> generate(const std::vector<GenerationRequest>& requests) override {
    std::vector<GenerationResult> results;
    for (const auto& request : requests) {
      GenerationResult result;
      std::vector<std::string> words = words_of(reply(request));
      result.finish_reason = "stop";
      if (static_cast<int>(words.size()) > request.max_new_tokens) {
        words.resize(static_cast<std::size_t>(std::max(request.max_new_tokens, 0)));
        result.finish_reason = "length";
      }
      for (const auto& word : words) result.text += (result.text.empty() ? "" : " ") + word;
      result.prompt_tokens = count_tokens(request.prompt);
      result.generated_tokens = static_cast<int>(words.size());
      results.push_back(std::move(result));
    }
    return results;
  }

  int count_tokens(const std::string& text) override { return static_cast<int>(words_of(text).size()); }

 private:
  std::string reply(const GenerationRequest& request) const {
    if (!request.gold.question) throw std::invalid_argument("gold_reader needs the question (use it as a teacher)");
    const auto& question = *request.gold.question;
    const auto& hops = question.decomposition;
    if (hops.empty()) throw std::runtime_error("gold_reader: question '" + question.id + "' has no decomposition");
    // The hops already answered are those whose sentences follow the prompt's last "A:".
    const auto answer_start = request.prompt.rfind("\nA:");
    const std::string written = answer_start == std::string::npos ? "" : request.prompt.substr(answer_start);
    std::size_t hop = 0;
    while (hop < hops.size() && written.find(hop_sentence(hops[hop])) != std::string::npos) ++hop;
    const auto in_prompt = [&](const std::string& id) {
      return std::find(request.gold.passage_ids.begin(), request.gold.passage_ids.end(), id) != request.gold.passage_ids.end();
    };
    if (hop + 1 >= hops.size()) {
      if (hop == hops.size() || in_prompt(hops.back().paragraph_id)) return final_sentence(question);
    } else if (in_prompt(hops[hop].paragraph_id)) {
      return hop_sentence(hops[hop]);
    }
    return std::string("So the answer is: ") + kWrongAnswer + ".";
  }

  std::string final_sentence(const steper::Question& question) const {
    const bool mistaken = uniform_for(seed_, question.id) < error_rate_;
    const std::string answer = question.answers.empty() ? question.decomposition.back().answer : question.answers[0];
    return "So the answer is: " + (mistaken ? std::string(kWrongAnswer) : answer) + ".";
  }

  double error_rate_;  // share of questions whose final answer is made wrong on purpose
  std::uint64_t seed_;
};

}  // namespace

STEPER_PLUGIN(Model, "gold_reader", "1.0.0", GoldReader)
