// The plugin's settings, each rejected at its key with what was expected.
#include <cstdlib>

#include "openai_fixture.hpp"

namespace steper::openai {
namespace {

constexpr const char* kServer = "base_url = \"http://127.0.0.1:8000\"\nmodel = \"teacher\"\n";

using OpenAiSettings = OpenAiPlugin;

void expect_error(const std::string& message, const std::string& expected) {
  EXPECT_NE(message.find(expected), std::string::npos) << message;
}

TEST_F(OpenAiSettings, AcceptsAFullTable) {
  EXPECT_EQ(config_error(std::string(kServer) +
                         "timeout_s = 30\nconnect_timeout_s = 0.5\nretries = 0\nbackoff_s = 0\nbackoff_max_s = 0\n"
                         "concurrency = 32\nmax_tokens = 100\nstop = [\"\\n\\n\"]\n"),
            "(no error)");
  EXPECT_EQ(config_error("base_url = \"https://gateway.example:8443/llama70b/\"\nmodel = \"m\"\n"), "(no error)");
}

TEST_F(OpenAiSettings, RejectsBadValuesAtTheirKey) {
  expect_error(config_error("model = \"m\"\n"), "table [teacher] needs key 'base_url' (a string)");
  expect_error(config_error("base_url = \"http://127.0.0.1:8000\"\n"), "table [teacher] needs key 'model' (a string)");
  expect_error(config_error("base_url = \"ftp://host\"\nmodel = \"m\"\n"),
               "key 'teacher.base_url' = \"ftp://host\": expected a URL such as \"http://127.0.0.1:8000\"; this one "
               "has scheme 'ftp': only http and https are supported");
  expect_error(config_error("base_url = \"http://127.0.0.1:8000/v1\"\nmodel = \"m\"\n"), "a path ending in /v1");
  expect_error(config_error("base_url = \"http://127.0.0.1:99999\"\nmodel = \"m\"\n"), "port '99999'");
  expect_error(config_error("base_url = \"http://127.0.0.1:8000\"\nmodel = \"\"\n"),
               "key 'teacher.model' = \"\": expected the name of the model the server serves");
  expect_error(config_error(std::string(kServer) + "api_key_env = \"\"\n"),
               "key 'teacher.api_key_env' = \"\": expected the name of an environment variable");
  expect_error(config_error(std::string(kServer) + "api_key_env = \"sk=secret\"\n"), "(not the key)");
  expect_error(config_error(std::string(kServer) + "timeout_s = 0\n"),
               "key 'teacher.timeout_s' = 0: expected a number of seconds > 0");
  expect_error(config_error(std::string(kServer) + "connect_timeout_s = -1\n"), "teacher.connect_timeout_s");
  expect_error(config_error(std::string(kServer) + "retries = -1\n"), "key 'teacher.retries' = -1: expected a count >= 0");
  expect_error(config_error(std::string(kServer) + "backoff_s = -0.5\n"), "teacher.backoff_s");
  expect_error(config_error(std::string(kServer) + "backoff_s = 5\nbackoff_max_s = 1\n"),
               "key 'teacher.backoff_max_s' = 1: expected a number of seconds >= backoff_s");
  expect_error(config_error(std::string(kServer) + "concurrency = 0\n"), "teacher.concurrency");
  expect_error(config_error(std::string(kServer) + "concurrency = 100000\n"), "a count from 1 to 1024 of requests in flight");
  expect_error(config_error(std::string(kServer) + "max_response_bytes = 0\n"), "expected a size in bytes >= 1");
  expect_error(config_error(std::string(kServer) + "max_tokens = -3\n"), "teacher.max_tokens");
  expect_error(config_error(std::string(kServer) + "stop = [\"\"]\n"), "expected non-empty stop strings");
  expect_error(config_error(std::string(kServer) + "stop = \"\\n\"\n"), "teacher.stop");
  expect_error(config_error(std::string(kServer) + "api_key = \"sk-1\"\n"), "unknown key 'teacher.api_key'");
}

TEST_F(OpenAiSettings, RefusesAnEmptyKeyVariableAtConstruction) {
  ASSERT_EQ(setenv("STEPER_OPENAI_TEST_EMPTY_KEY", "", 1), 0);
  expect_error(config_error(std::string(kServer) + "api_key_env = \"STEPER_OPENAI_TEST_EMPTY_KEY\"\n"),
               "'STEPER_OPENAI_TEST_EMPTY_KEY' is set but empty");
}

TEST_F(OpenAiSettings, RefusesAnUnsetKeyVariableAtTheFirstRequest) {
  ASSERT_EQ(unsetenv("STEPER_OPENAI_TEST_UNSET_KEY"), 0);
  auto model = make(std::string(kServer) + "api_key_env = \"STEPER_OPENAI_TEST_UNSET_KEY\"\n");
  try {
    model->generate({request("Q: x\nA:")});
    FAIL() << "expected a configuration error";
  } catch (const ConfigError& e) {
    expect_error(e.what(), "openai: the environment variable 'STEPER_OPENAI_TEST_UNSET_KEY' named by teacher.api_key_env (");
    expect_error(e.what(), "experiment0.toml:5:");
    expect_error(e.what(), ") is not set");
  }
}

}  // namespace
}  // namespace steper::openai
