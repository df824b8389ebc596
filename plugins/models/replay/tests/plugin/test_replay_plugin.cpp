// The plugin through the host's loader: settings checked at their key, a round trip, and every
// bad input ending its question with a recorded reason.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "config.hpp"
#include "plugin_loader.hpp"
#include "run_log.hpp"
#include "scratch_folder.hpp"
#include "steper/model.hpp"

namespace steper {
namespace {

using replay::ScratchFolder;

constexpr const char* kTrajectories =
    R"({"question_id": "q1", "framework": "ircot", "question": "Where is Paris?", )"
    R"("outputs": ["Paris is in France.\nQ: ignored", "So the answer is: France."]})"
    "\n"
    R"({"question_id": "q2", "framework": "ircot", "outputs": ["Berlin is in Germany.", "So the answer is: Germany."]})"
    "\n"
    R"({"question_id": "q3", "framework": "ircot", "outputs": ["So the answer is: Spain."]})"
    "\n";

class ReplayPlugin : public ::testing::Test {
 protected:
  ReplayPlugin() {
    log.set_sink([this](const std::string& line) { log_lines.push_back(line); });
  }

  std::unique_ptr<Model> make(const std::string& settings_toml) {
    const std::string path = scratch.write("experiment" + std::to_string(files++) + ".toml",
                                           "[teacher]\nname = \"replay\"\n" + settings_toml);
    const Cell cell = Experiment::load(path).cells().front();
    Settings settings = cell.settings("teacher");
    auto model = registry.create<Model>(settings.require<std::string>("name"), settings, context);
    settings.reject_unread();
    return model;
  }
  std::string config_error(const std::string& settings_toml) {
    try {
      make(settings_toml);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "(no error)";
  }
  std::unique_ptr<Model> make_with(const std::string& jsonl, const std::string& more_settings = "") {
    scratch.write("teacher.jsonl", jsonl);
    return make("path = \"teacher.jsonl\"\n" + more_settings);
  }

  GenerationRequest request(const Question& question, std::vector<std::string> previous) const {
    GenerationRequest r;
    r.prompt = "Q: " + question.text + "\nA:";
    r.stop = {"\n"};
    r.gold.question = &question;
    r.gold.framework = "ircot";
    r.gold.previous = std::move(previous);
    return r;
  }

  ScratchFolder scratch;
  int files = 0;
  PluginRegistry registry{{STEPER_REPLAY_PLUGIN_DIR}};
  RunLog log;
  std::vector<std::string> log_lines;
  HostContext context{log, 1, "cpu", scratch.path().string()};
  Question q1{"q1", "Where is Paris?", {"France"}, {}, {}, "", 2};
  Question q2{"q2", "Where is Berlin?", {"Germany"}, {}, {}, "", 2};
  Question q3{"q3", "Where is Madrid?", {"Spain"}, {}, {}, "", 1};
  Question q9{"q9", "Where is Rome?", {"Italy"}, {}, {}, "", 1};
};

TEST_F(ReplayPlugin, RejectsBadSettingsAtTheirKey) {
  scratch.write("teacher.jsonl", kTrajectories);
  EXPECT_NE(config_error("").find("table [teacher] needs key 'path' (a string)"), std::string::npos) << config_error("");
  const std::string missing = config_error("path = \"absent.jsonl\"\n");
  EXPECT_NE(missing.find("key 'teacher.path' = \"absent.jsonl\": expected an existing replay file (JSONL); '" +
                         (scratch.path() / "absent.jsonl").string() + "' is not one"),
            std::string::npos)
      << missing;
  EXPECT_NE(config_error("path = 3\n").find("teacher.path"), std::string::npos);
  EXPECT_NE(config_error("path = \"teacher.jsonl\"\nframework = 2\n").find("teacher.framework"), std::string::npos);
  const std::string unknown = config_error("path = \"teacher.jsonl\"\nfile = \"x\"\n");
  EXPECT_NE(unknown.find("unknown key 'teacher.file'"), std::string::npos) << unknown;
  EXPECT_EQ(config_error("path = \"teacher.jsonl\"\nframework = \"ircot\"\n"), "(no error)");
}

TEST_F(ReplayPlugin, ReplaysEachQuestionStepByStep) {
  auto model = make_with(kTrajectories, "framework = \"ircot\"\n");
  const auto first = model->generate({request(q1, {}), request(q2, {})});
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].text, "Paris is in France.");
  EXPECT_EQ(first[0].finish_reason, "stop");
  EXPECT_EQ(first[0].generated_tokens, 4);
  EXPECT_EQ(first[0].prompt_tokens, 5);
  EXPECT_EQ(first[1].text, "Berlin is in Germany.");
  EXPECT_EQ(first[1].finish_reason, "eos");
  const auto second = model->generate({request(q2, {first[1].text}), request(q1, {first[0].text})});
  EXPECT_EQ(second[0].text, "So the answer is: Germany.");
  EXPECT_EQ(second[1].text, "So the answer is: France.");
  EXPECT_EQ(model->count_tokens("So the answer is: France."), 5);
}

TEST_F(ReplayPlugin, EndsAQuestionMissingFromTheFileWithItsReason) {
  auto model = make_with(kTrajectories);
  const auto results = model->generate({request(q9, {}), request(q3, {})});
  EXPECT_EQ(results[0].finish_reason, "error");
  EXPECT_EQ(results[0].error, "replay: question 'q9' is not in '" + (scratch.path() / "teacher.jsonl").string() + "'");
  EXPECT_EQ(results[0].text, "");
  EXPECT_EQ(results[1].text, "So the answer is: Spain.");
}

TEST_F(ReplayPlugin, EndsAQuestionAskedPastItsLastStep) {
  auto model = make_with(kTrajectories);
  const auto results = model->generate({request(q3, {"So the answer is: Spain."})});
  EXPECT_EQ(results[0].finish_reason, "error");
  EXPECT_EQ(results[0].error, "replay: no output for step 2 of question 'q3' ('" +
                                  (scratch.path() / "teacher.jsonl").string() + "':3 has 1)");
}

TEST_F(ReplayPlugin, ChecksTheRequestAgainstTheRecordedQuestion) {
  auto model = make_with(kTrajectories);
  GenerationRequest selfask = request(q2, {});
  selfask.gold.framework = "selfask";
  Question renamed = q1;
  renamed.text = "Where is Lyon?";
  GenerationRequest anonymous = request(q1, {});
  anonymous.gold.question = nullptr;
  const auto results = model->generate({selfask, request(renamed, {}), anonymous});
  EXPECT_EQ(results[0].finish_reason, "error");
  EXPECT_NE(results[0].error.find("recorded for framework 'ircot'"), std::string::npos) << results[0].error;
  EXPECT_NE(results[0].error.find("the request is for 'selfask'"), std::string::npos) << results[0].error;
  EXPECT_EQ(results[1].finish_reason, "error");
  EXPECT_NE(results[1].error.find("reads \"Where is Paris?\""), std::string::npos) << results[1].error;
  EXPECT_NE(results[1].error.find("but \"Where is Lyon?\" in the dataset"), std::string::npos) << results[1].error;
  EXPECT_EQ(results[2].error, "replay: the request names no question (request.gold.question is null)");
}

TEST_F(ReplayPlugin, ReadsTheFileOnlyOnTheFirstGenerate) {
  auto model = make_with("{not json\n");  // construction does not read the file
  try {
    model->generate({request(q1, {})});
    FAIL() << "expected the malformed file to be refused";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("teacher.jsonl:1: malformed JSON"), std::string::npos) << e.what();
  }
}

TEST_F(ReplayPlugin, WarnsOfTrajectoriesNoRequestAskedFor) {
  make_with(kTrajectories)->generate({request(q2, {})});
  ASSERT_FALSE(log_lines.empty());
  EXPECT_NE(log_lines.back().find("replay: 2 of 3 trajectories in '" + (scratch.path() / "teacher.jsonl").string() +
                                  "' were never asked for: 'q1' 'q3'"),
            std::string::npos)
      << log_lines.back();
  log_lines.clear();
  make_with(kTrajectories)->generate({request(q1, {}), request(q2, {}), request(q3, {})});
  for (const std::string& line : log_lines) EXPECT_EQ(line.find("never asked for"), std::string::npos) << line;
}

}  // namespace
}  // namespace steper
