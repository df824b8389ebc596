// The `replay` teacher: answers each generation request with the output a model recorded for
// that question and step elsewhere (e.g. a 70B teacher served by vLLM). README.md describes
// the file format.
//
// Settings: path (the JSONL file, required), framework (optional: every line must name it).
#include <exception>
#include <filesystem>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "plugin_support/text.hpp"
#include "replay_file.hpp"
#include "replayed_text.hpp"
#include "steper/fingerprint.hpp"
#include "steper/model.hpp"

namespace {

using steper::GenerationRequest;
using steper::GenerationResult;
using steper::replay::ReplayFile;

std::string read_path(steper::Settings& settings) {
  settings.require<std::string>("path");
  const std::string path = settings.get_path("path", "");
  if (!std::filesystem::is_regular_file(path))
    settings.fail("path", "an existing replay file (JSONL); '" + path + "' is not one");
  return path;
}

GenerationResult error_result(const std::string& what) {
  GenerationResult result;
  result.finish_reason = "error";
  result.error = what;
  return result;
}

class ReplayModel : public steper::Model {
 public:
  ReplayModel(steper::Settings& settings, steper::PluginContext& context)
      : context_(context), path_(read_path(settings)), framework_(settings.get<std::string>("framework", "")) {}

  ~ReplayModel() override {
    try {
      const std::vector<std::string> unasked = unrequested_ids();
      if (!unasked.empty()) context_.warn(unrequested_message(unasked));
    } catch (const std::exception&) {  // a destructor must not throw; the warning is only informative
    }
  }

  std::vector<GenerationResult> generate(const std::vector<GenerationRequest>& requests) override {
    if (!file_) {
      file_ = ReplayFile::read(path_, framework_);
      context_.info("replay: read " + std::to_string(file_->question_ids().size()) + " trajectories from '" +
                    path_ + "'");
    }
    std::vector<GenerationResult> results;
    results.reserve(requests.size());
    for (const GenerationRequest& request : requests) results.push_back(replay(request));
    return results;
  }

  // Editing the file under the same path makes the teacher stage run again.
  std::string fingerprint() override { return steper::file_fingerprint(path_); }

  int count_tokens(const std::string& text) override { return steper::support::count_words(text); }

 private:
  // Ids of the file that no request has asked for yet (empty before the file is read).
  std::vector<std::string> unrequested_ids() const {
    std::vector<std::string> unasked;
    if (!file_) return unasked;
    for (const std::string& id : file_->question_ids())
      if (!asked_.count(id)) unasked.push_back(id);
    return unasked;
  }

  GenerationResult replay(const GenerationRequest& request) {
    const steper::GoldContext& gold = request.gold;
    if (!gold.question) return error_result("replay: the request names no question (request.gold.question is null)");
    const std::string& id = gold.question->id;
    asked_.insert(id);
    const auto* recorded = file_->find(id);
    if (!recorded) return error_result("replay: question '" + id + "' is not in '" + path_ + "'");
    const std::string where = "'" + path_ + "':" + std::to_string(recorded->line);
    if (!gold.framework.empty() && gold.framework != recorded->framework)
      return error_result("replay: question '" + id + "' was recorded for framework '" + recorded->framework +
                          "' (" + where + "), the request is for '" + gold.framework + "'");
    if (!recorded->question.empty() && recorded->question != gold.question->text)
      return error_result("replay: question '" + id + "' reads \"" + recorded->question + "\" in " + where +
                          " but \"" + gold.question->text + "\" in the dataset");
    const std::size_t step = gold.previous.size();
    if (step >= recorded->outputs.size())
      return error_result("replay: no output for step " + std::to_string(step + 1) + " of question '" + id + "' (" +
                          where + " has " + std::to_string(recorded->outputs.size()) + ")");
    return steper::replay::replayed_text(recorded->outputs[step], request);
  }

  std::string unrequested_message(const std::vector<std::string>& unasked) const {
    constexpr std::size_t kNamed = 10;
    std::string message = "replay: " + std::to_string(unasked.size()) + " of " +
                          std::to_string(file_->question_ids().size()) + " trajectories in '" + path_ +
                          "' were never asked for:";
    for (std::size_t i = 0; i < unasked.size() && i < kNamed; ++i) message += " '" + unasked[i] + "'";
    if (unasked.size() > kNamed) message += " and " + std::to_string(unasked.size() - kNamed) + " more";
    return message;
  }

  steper::PluginContext& context_;
  std::string path_;
  std::string framework_;           // empty: any
  std::optional<ReplayFile> file_;  // read on the first generate
  std::unordered_set<std::string> asked_;
};

}  // namespace

STEPER_PLUGIN(Model, "replay", "1.0.0", ReplayModel)
