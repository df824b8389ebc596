// The plugin against a scripted server on 127.0.0.1: what it sends, what it reads back, and
// every failure (429, 5xx, timeouts, malformed JSON, no server) ending as an error result.
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <map>

#include "openai_fixture.hpp"
#include "scripted_server.hpp"

namespace steper::openai {
namespace {

using nlohmann::json;
using ServerTest = OpenAiPlugin;

// Fast settings: timeouts of 0.2 s and backoff of 10 ms, so failing tests stay fast too;
// `changed` replaces or adds keys (values in TOML).
std::string settings_for(const std::string& base_url, const std::map<std::string, std::string>& changed = {}) {
  std::map<std::string, std::string> keys = {{"model", "\"teacher-70b\""}, {"timeout_s", "0.2"},
                                             {"connect_timeout_s", "0.2"}, {"retries", "2"},
                                             {"backoff_s", "0.01"},         {"backoff_max_s", "1"}};
  for (const auto& [key, value] : changed) keys[key] = value;
  std::string toml = "base_url = \"" + base_url + "\"\n";
  for (const auto& [key, value] : keys) toml += key + " = " + value + "\n";
  return toml;
}

void reply(httplib::Response& response, int status, const std::string& body) {
  response.status = status;
  response.set_content(body, "application/json");
}

std::vector<std::string> lines_with(const std::vector<std::string>& lines, const std::string& part) {
  std::vector<std::string> found;
  for (const std::string& line : lines)
    if (line.find(part) != std::string::npos) found.push_back(line);
  return found;
}

TEST_F(ServerTest, SendsTheRequestAndReadsTheCompletion) {
  ScriptedServer server([](const httplib::Request&, httplib::Response& response, int) {
    reply(response, 200, completion_json(" Paris is in France.", "stop", 12, 5));
  });
  auto model = make(settings_for(server.base_url(), {{"max_tokens", "20"}, {"stop", R"(["Q:", "\n"])"}}));
  GenerationRequest r = request("Q: Where is Paris?\nA:", {"\n", "So the answer"});
  r.temperature = 0.7;
  r.top_p = 0.9;
  r.seed = 42;
  const auto results = model->generate({r});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].text, " Paris is in France.");
  EXPECT_EQ(results[0].finish_reason, "eos");  // "stop" with stop_reason null: the end-of-sequence token
  EXPECT_EQ(results[0].prompt_tokens, 12);
  EXPECT_EQ(results[0].generated_tokens, 5);
  EXPECT_EQ(results[0].error, "");

  const auto received = server.received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].path, "/v1/completions");
  EXPECT_EQ(received[0].authorization, "");
  const json body = json::parse(received[0].body);
  EXPECT_EQ(body["model"], "teacher-70b");
  EXPECT_EQ(body["prompt"], "Q: Where is Paris?\nA:");
  EXPECT_EQ(body["max_tokens"], 20);  // the request's 32, capped
  EXPECT_EQ(body["temperature"], 0.7);
  EXPECT_EQ(body["top_p"], 0.9);
  EXPECT_EQ(body["seed"], 42);
  EXPECT_EQ(body["stop"], json({"\n", "So the answer", "Q:"}));  // the request's, then the settings' new ones
  EXPECT_EQ(model->count_tokens("So the answer is: France."), 5);
}

TEST_F(ServerTest, ReturnsResultsInRequestOrderAndPostsUnderThePathPrefix) {
  ScriptedServer server(
      [](const httplib::Request& request, httplib::Response& response, int) {
        const std::string prompt = json::parse(request.body)["prompt"];
        reply(response, 200, completion_json("echo " + prompt));
      },
      "/gateway/v1/completions");
  auto model = make(settings_for(server.base_url() + "/gateway/", {{"concurrency", "3"}}));
  std::vector<GenerationRequest> requests;
  for (int i = 0; i < 7; ++i) requests.push_back(request("p" + std::to_string(i)));
  const auto results = model->generate(requests);
  ASSERT_EQ(results.size(), 7u);
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(results[i].text, "echo p" + std::to_string(i));
    EXPECT_EQ(results[i].finish_reason, "length");
  }
  EXPECT_TRUE(model->generate({}).empty());
}

TEST_F(ServerTest, SendsTheKeyFromTheNamedVariable) {
  ASSERT_EQ(setenv("STEPER_OPENAI_TEST_KEY", "sk-test-123", 1), 0);
  ScriptedServer server([](const httplib::Request&, httplib::Response& response, int) {
    reply(response, 200, completion_json("ok"));
  });
  auto model = make(settings_for(server.base_url(), {{"api_key_env", "\"STEPER_OPENAI_TEST_KEY\""}}));
  EXPECT_EQ(model->generate({request("p")})[0].text, "ok");
  ASSERT_EQ(server.received().size(), 1u);
  EXPECT_EQ(server.received()[0].authorization, "Bearer sk-test-123");
}

TEST_F(ServerTest, RetriesA429AfterItsRetryAfter) {
  ScriptedServer server([](const httplib::Request&, httplib::Response& response, int call) {
    if (call == 0) {
      response.set_header("Retry-After", "0.05");
      reply(response, 429, R"({"error": {"message": "slow down"}})");
    } else {
      reply(response, 200, completion_json("ok"));
    }
  });
  // backoff_s of 0.5 s: the wait logged below is the server's, not the backoff's.
  auto model = make(settings_for(server.base_url(), {{"backoff_s", "0.5"}}));
  const auto results = model->generate({request("p")});
  EXPECT_EQ(results[0].text, "ok");
  EXPECT_EQ(results[0].finish_reason, "length");
  EXPECT_EQ(server.calls(), 2);
  const auto retries = lines_with(log_lines, "retry 1 of 2");
  ASSERT_EQ(retries.size(), 1u);
  EXPECT_NE(retries[0].find("HTTP 429: '{\"error\": {\"message\": \"slow down\"}}'; retry 1 of 2 in 0.05 s"),
            std::string::npos)
      << retries[0];
}

TEST_F(ServerTest, GivesUpOnA500AfterItsRetriesWithGrowingWaits) {
  ScriptedServer server([](const httplib::Request&, httplib::Response& response, int) {
    reply(response, 500, "internal error");
  });
  auto model = make(settings_for(server.base_url()));
  const auto results = model->generate({request("p")});
  EXPECT_EQ(results[0].finish_reason, "error");
  EXPECT_EQ(results[0].error, "openai: POST " + server.base_url() +
                                  "/v1/completions: HTTP 500: 'internal error' (gave up after 3 attempts)");
  EXPECT_EQ(server.calls(), 3);
  EXPECT_EQ(lines_with(log_lines, "retry 1 of 2 in 0.01 s").size(), 1u);
  EXPECT_EQ(lines_with(log_lines, "retry 2 of 2 in 0.02 s").size(), 1u);
}

TEST_F(ServerTest, DoesNotRetryOtherClientErrors) {
  ScriptedServer server([](const httplib::Request&, httplib::Response& response, int) {
    reply(response, 400, R"({"object": "error", "message": "max_tokens is too large"})");
  });
  auto model = make(settings_for(server.base_url()));
  const auto results = model->generate({request("p")});
  EXPECT_EQ(results[0].finish_reason, "error");
  EXPECT_NE(results[0].error.find("HTTP 400: '{\"object\": \"error\", \"message\": \"max_tokens is too large\"}'"),
            std::string::npos)
      << results[0].error;
  EXPECT_EQ(results[0].error.find("gave up"), std::string::npos);
  EXPECT_EQ(server.calls(), 1);
}

TEST_F(ServerTest, TimesOutASlowServer) {
  ScriptedServer server([](const httplib::Request&, httplib::Response& response, int) {
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    reply(response, 200, completion_json("late"));
  });
  auto model = make(settings_for(server.base_url(), {{"retries", "1"}}));
  const auto results = model->generate({request("p")});
  EXPECT_EQ(results[0].finish_reason, "error");
  EXPECT_NE(results[0].error.find("no complete answer within timeout_s = 0.2 s"), std::string::npos)
      << results[0].error;
  EXPECT_NE(results[0].error.find("(gave up after 2 attempts)"), std::string::npos) << results[0].error;
  EXPECT_EQ(server.calls(), 2);
}

// A server that sends its answer one byte every 50 ms without end: each read is quick, so only a
// deadline on the whole request ends it.
void trickle_forever(httplib::Response& response, std::size_t bytes_per_write, int pause_ms) {
  response.set_chunked_content_provider("application/json", [=](std::size_t, httplib::DataSink& sink) {
    std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms));
    return sink.write(std::string(bytes_per_write, ' ').data(), bytes_per_write);
  });
}

TEST_F(ServerTest, ATricklingServerMeetsTheDeadlineOfTheWholeRequest) {
  ScriptedServer server([](const httplib::Request&, httplib::Response& response, int) { trickle_forever(response, 1, 50); });
  auto model = make(settings_for(server.base_url(), {{"retries", "0"}}));
  const auto start = std::chrono::steady_clock::now();
  const auto results = model->generate({request("p")});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(results[0].finish_reason, "error");
  EXPECT_NE(results[0].error.find("no complete answer within timeout_s = 0.2 s"), std::string::npos)
      << results[0].error;
  EXPECT_LT(seconds, 5.0);  // a hang check, not a speed measurement: the server would trickle for ever
}

TEST_F(ServerTest, AnEndlessAnswerStopsAtMaxResponseBytes) {
  ScriptedServer server([](const httplib::Request&, httplib::Response& response, int) { trickle_forever(response, 65536, 0); });
  auto model = make(settings_for(server.base_url(), {{"retries", "2"}, {"timeout_s", "30"}, {"max_response_bytes", "1000000"}}));
  const auto results = model->generate({request("p")});
  EXPECT_EQ(results[0].finish_reason, "error");
  EXPECT_NE(results[0].error.find("the answer is longer than max_response_bytes = 1000000"), std::string::npos)
      << results[0].error;
  EXPECT_EQ(server.calls(), 1);  // not retried: the same server would send the same answer
}

TEST_F(ServerTest, ReportsMalformedAnswersWithASnippet) {
  ScriptedServer server([](const httplib::Request& request, httplib::Response& response, int) {
    const std::string prompt = json::parse(request.body)["prompt"];
    if (prompt == "truncated") reply(response, 200, R"({"choices": [{"text": "Paris)");
    if (prompt == "no choices") reply(response, 200, R"({"object": "error"})");
    if (prompt == "aborted") reply(response, 200, R"({"choices": [{"text": "Par", "finish_reason": "abort"}]})");
  });
  auto model = make(settings_for(server.base_url(), {{"concurrency", "1"}}));
  const auto results = model->generate({request("truncated"), request("no choices"), request("aborted")});
  for (const auto& result : results) EXPECT_EQ(result.finish_reason, "error");
  EXPECT_NE(results[0].error.find("openai: malformed JSON ("), std::string::npos) << results[0].error;
  EXPECT_NE(results[0].error.find("in the server's answer: '{\"choices\": [{\"text\": \"Paris'"), std::string::npos)
      << results[0].error;
  EXPECT_EQ(results[1].error, "openai: no choices[0] in the server's answer: '{\"object\": \"error\"}'");
  EXPECT_NE(results[2].error.find("no finish_reason of stop or length"), std::string::npos) << results[2].error;
  EXPECT_EQ(server.calls(), 3);  // none retried
}

TEST_F(ServerTest, ReportsAServerThatIsNotThere) {
  const std::string base_url = "http://127.0.0.1:" + std::to_string(unused_port());
  auto model = make(settings_for(base_url, {{"retries", "1"}}));
  const auto results = model->generate({request("p"), request("q")});
  for (const auto& result : results) {
    EXPECT_EQ(result.finish_reason, "error");
    EXPECT_EQ(result.error, "openai: POST " + base_url + "/v1/completions: could not connect (gave up after 2 attempts)");
  }
}

TEST_F(ServerTest, ReportsATlsFailureWithoutRetrying) {
  ScriptedServer server([](const httplib::Request&, httplib::Response& response, int) {
    reply(response, 200, completion_json("plain http"));
  });
  const std::string base_url = "https://127.0.0.1:" + std::to_string(server.port());
  auto model = make(settings_for(base_url));
  const auto results = model->generate({request("p")});
  EXPECT_EQ(results[0].finish_reason, "error");
  EXPECT_NE(results[0].error.find("openai: POST " + base_url + "/v1/completions: HTTP client error 'SSL"),
            std::string::npos)
      << results[0].error;
  EXPECT_EQ(results[0].error.find("gave up"), std::string::npos);
}

TEST_F(ServerTest, KeepsConcurrencyRequestsInFlight) {
  ScriptedServer* running = nullptr;
  ScriptedServer server([&](const httplib::Request&, httplib::Response& response, int) {
    running->wait_for_in_flight(3, std::chrono::seconds(2));  // a client one at a time would take 2 s per request
    reply(response, 200, completion_json("ok"));
  });
  running = &server;
  auto model = make(settings_for(server.base_url(), {{"concurrency", "3"}, {"timeout_s", "5"}}));
  std::vector<GenerationRequest> requests(6, request("p"));
  const auto results = model->generate(requests);
  for (const auto& result : results) EXPECT_EQ(result.text, "ok");
  EXPECT_EQ(server.max_in_flight(), 3);
  EXPECT_EQ(server.calls(), 6);
}

}  // namespace
}  // namespace steper::openai
