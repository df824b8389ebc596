// Reading replay files: the documented format, and every malformed line named by file:line
// and field.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "replay_file.hpp"
#include "scratch_folder.hpp"

namespace steper::replay {
namespace {

std::string read_error(const std::string& jsonl, const std::string& framework = "") {
  ScratchFolder folder;
  const std::string path = folder.write("teacher.jsonl", jsonl);
  try {
    ReplayFile::read(path, framework);
  } catch (const std::runtime_error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(path + ":"), std::string::npos) << message;
    return message.substr(message.find(path) + path.size());
  }
  return "(no error)";
}

constexpr const char* kGood = R"({"question_id": "q1", "framework": "ircot", "outputs": ["a"]})";

TEST(ReplayFile, ReadsTheDocumentedFormat) {
  ScratchFolder folder;
  const std::string path = folder.write(
      "teacher.jsonl",
      R"({"question_id": "q1", "framework": "ircot", "outputs": ["Paris is in France.", "So the answer is: France."]})"
      "\n\n"
      R"({"question_id": "q2", "framework": "ircot", "question": "Who?", "outputs": ["x"], "meta": {"model": "70B"}})"
      "\r\n");
  const ReplayFile file = ReplayFile::read(path, "ircot");
  ASSERT_EQ(file.question_ids(), (std::vector<std::string>{"q1", "q2"}));
  const RecordedTrajectory* q1 = file.find("q1");
  ASSERT_NE(q1, nullptr);
  EXPECT_EQ(q1->framework, "ircot");
  EXPECT_EQ(q1->outputs, (std::vector<std::string>{"Paris is in France.", "So the answer is: France."}));
  EXPECT_EQ(q1->question, "");
  EXPECT_EQ(q1->line, 1u);
  const RecordedTrajectory* q2 = file.find("q2");
  ASSERT_NE(q2, nullptr);
  EXPECT_EQ(q2->question, "Who?");
  EXPECT_EQ(q2->line, 3u);
  EXPECT_EQ(file.find("q3"), nullptr);
}

TEST(ReplayFile, NamesTheLineAndFieldOfMalformedLines) {
  EXPECT_NE(read_error(std::string(kGood) + "\n{\"question_id\": \"q2\",\n").find(":2: malformed JSON"),
            std::string::npos);
  EXPECT_EQ(read_error("[1, 2]\n"), ":1: expected a JSON object, found array [1,2]");
  EXPECT_EQ(read_error(R"({"framework": "ircot", "outputs": ["a"]})"), ":1: missing field 'question_id' (a string)");
  EXPECT_EQ(read_error(R"({"question_id": 7, "framework": "ircot", "outputs": ["a"]})"),
            ":1: field 'question_id': expected a string, found number 7");
  EXPECT_EQ(read_error(R"({"question_id": "", "framework": "ircot", "outputs": ["a"]})"),
            ":1: field 'question_id': expected a non-empty string, found \"\"");
  EXPECT_EQ(read_error(R"({"question_id": "q1", "outputs": ["a"]})"), ":1: missing field 'framework' (a string)");
  EXPECT_EQ(read_error(R"({"question_id": "q1", "framework": "ircot"})"),
            ":1: missing field 'outputs' (an array of strings, one per step)");
  EXPECT_EQ(read_error(R"({"question_id": "q1", "framework": "ircot", "outputs": "a"})"),
            ":1: field 'outputs': expected an array of strings, one per step, found string \"a\"");
  EXPECT_EQ(read_error(R"({"question_id": "q1", "framework": "ircot", "outputs": []})"),
            ":1: field 'outputs': expected at least one output, found an empty array");
  EXPECT_EQ(read_error(R"({"question_id": "q1", "framework": "ircot", "outputs": ["a", null]})"),
            ":1: field 'outputs[1]': expected a string, found null null");
  EXPECT_EQ(read_error(R"({"question_id": "q1", "framework": "ircot", "question": 3, "outputs": ["a"]})"),
            ":1: field 'question': expected a string, found number 3");
  EXPECT_EQ(read_error(R"({"question_id": "q1", "framework": "ircot", "output": ["a"]})"),
            ":1: unknown field 'output' (expected question_id, framework, outputs and optionally question, meta)");
}

TEST(ReplayFile, RefusesDuplicateIds) {
  EXPECT_EQ(read_error(std::string(kGood) + "\n" + R"({"question_id": "q2", "framework": "ircot", "outputs": ["b"]})" +
                       "\n" + kGood + "\n"),
            ":3: duplicate question_id \"q1\" (first at line 1)");
}

TEST(ReplayFile, ChecksTheFrameworkWhenOneIsExpected) {
  EXPECT_EQ(read_error(kGood, "ircot"), "(no error)");
  EXPECT_EQ(read_error(kGood, "selfask"),
            ":1: field 'framework': expected \"selfask\" (the setting 'framework'), found \"ircot\"");
}

TEST(ReplayFile, NamesAFileThatCannotBeOpened) {
  try {
    ReplayFile::read("/nonexistent/teacher.jsonl", "");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "replay: cannot open '/nonexistent/teacher.jsonl': No such file or directory");
  }
}

}  // namespace
}  // namespace steper::replay
