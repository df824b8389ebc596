// The demonstrations file: a good one, and each way it can be wrong.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "demonstrations.hpp"
#include "framework_test_support.hpp"

namespace steper::frameworks {
namespace {

using steper::testing::TemporaryFolder;

constexpr const char* kGood =
    R"({"question": "Where was the director of Heat born?", "passages": [{"title": "Heat", "text": "Heat was directed by Mann."}],)"
    R"( "steps": [{"follow_up": "Who directed Heat?", "sentence": "Heat was directed by Mann."}], "answer": "Chicago"})";

std::string read_error(const std::string& text) {
  TemporaryFolder folder;
  const std::string path = folder.write("demos.jsonl", text);
  try {
    read_demonstrations(path);
  } catch (const std::runtime_error& e) {
    const std::string message = e.what();
    const std::string prefix = "demonstrations '" + path + "'";
    return message.rfind(prefix, 0) == 0 ? message.substr(prefix.size()) : message;
  }
  return "(no error)";
}

TEST(Demonstrations, ReadsWorkedExamples) {
  TemporaryFolder folder;
  const std::string path = folder.write("demos.jsonl", std::string(kGood) + "\n\n" +
                                                           R"({"question": "Q2", "passages": [], "steps": [{"sentence": "s"}], "answer": "a"})" + "\n");
  const auto demos = read_demonstrations(path);
  ASSERT_EQ(demos.size(), 2u);
  EXPECT_EQ(demos[0].line, 1);
  EXPECT_EQ(demos[0].question, "Where was the director of Heat born?");
  ASSERT_EQ(demos[0].passages.size(), 1u);
  EXPECT_EQ(demos[0].passages[0].title, "Heat");
  EXPECT_EQ(demos[0].steps[0].follow_up, "Who directed Heat?");
  EXPECT_EQ(demos[0].answer, "Chicago");
  EXPECT_EQ(demos[1].line, 3);
  EXPECT_EQ(demos[1].steps[0].follow_up, "");
}

TEST(Demonstrations, ErrorsNameFileLineFieldExpectedAndFound) {
  EXPECT_EQ(read_error("{\"question\": \"q\",\n").rfind(":1: malformed JSON ([json.exception.parse_error", 0), 0u);
  EXPECT_EQ(read_error(R"({"question": 3, "passages": [], "steps": [], "answer": "a"})"),
            ":1: field 'question': expected a non-empty string, found number 3");
  EXPECT_EQ(read_error(R"({"passages": [], "steps": [{"sentence": "s"}], "answer": "a"})"),
            ":1: missing field 'question' (a non-empty string)");
  EXPECT_EQ(read_error(R"({"question": "q", "passages": {}, "steps": [], "answer": "a"})"),
            ":1: field 'passages': expected an array, found object {}");
  EXPECT_EQ(read_error(R"({"question": "q", "passages": [{"title": "T"}], "steps": [{"sentence": "s"}], "answer": "a"})"),
            ":1: missing field 'passages[0].text' (a non-empty string)");
  EXPECT_EQ(read_error(R"({"question": "q", "passages": [], "steps": [], "answer": "a"})"),
            ":1: field 'steps': expected at least one step, found none");
  EXPECT_EQ(read_error(R"({"question": "q", "passages": [], "steps": [{"sentence": ""}], "answer": "a"})"),
            ":1: field 'steps[0].sentence': expected a non-empty string, found string \"\"");
  EXPECT_EQ(read_error(R"({"question": "q", "passages": [], "steps": [{"sentence": "s"}], "anwser": "a"})"),
            ":1: unknown field 'anwser' (known: question, passages, steps, answer)");
  EXPECT_EQ(read_error(std::string(kGood) + "\n[1, 2]\n"), ":2: the line: expected an object, found array [1,2]");
  EXPECT_EQ(read_error("\n  \n"), ": expected at least one demonstration, found none");
}

TEST(Demonstrations, MissingFile) {
  try {
    read_demonstrations("/nonexistent/demos.jsonl");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "demonstrations: cannot read '/nonexistent/demos.jsonl': No such file or directory");
  }
}

// A pipe would block the framework's construction: refused before a byte is read.
TEST(Demonstrations, APipeIsRefusedWithoutBlocking) {
  const std::string path = ::testing::TempDir() + "demos-pipe-" + std::to_string(getpid()) + ".jsonl";
  ASSERT_EQ(mkfifo(path.c_str(), 0600), 0);
  try {
    read_demonstrations(path);
    ADD_FAILURE() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "demonstrations: cannot read '" + path + "': not a regular file (a device, pipe or socket)");
  }
  std::remove(path.c_str());
}

}  // namespace
}  // namespace steper::frameworks
