#include "completion_client.hpp"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <sstream>
#include <thread>

#include "completion_json.hpp"
#include "retry_delay.hpp"

namespace steper::openai {
namespace {

constexpr const char* kEndpoint = "/v1/completions";

std::string seconds_text(double seconds) {
  std::ostringstream text;
  text << seconds << " s";
  return text.str();
}

std::chrono::microseconds microseconds(double seconds) {
  return std::chrono::microseconds(std::llround(seconds * 1e6));
}

bool retryable(httplib::Error error) {
  switch (error) {
    case httplib::Error::Connection:
    case httplib::Error::ConnectionTimeout:
    case httplib::Error::Read:
    case httplib::Error::Write:
    case httplib::Error::Unknown:
      return true;
    default:
      return false;
  }
}

std::string transport_problem(httplib::Error error, const ClientSettings& settings) {
  switch (error) {
    case httplib::Error::Connection:
      return "could not connect";
    case httplib::Error::ConnectionTimeout:
      return "no connection within connect_timeout_s = " + seconds_text(settings.connect_timeout_s);
    case httplib::Error::Read:
      return "no complete answer within timeout_s = " + seconds_text(settings.timeout_s) +
             " (or the server closed the connection)";
    case httplib::Error::Write:
      return "sending the request failed";
    default:
      return "HTTP client error '" + httplib::to_string(error) + "'";
  }
}

GenerationResult error_result(const std::string& what) {
  GenerationResult result;
  result.finish_reason = "error";
  result.error = what;
  return result;
}

}  // namespace

struct CompletionClient::Attempt {
  GenerationResult result;
  bool retryable = false;
  std::optional<double> retry_after_s;  // what the server asked for, when it did
};

CompletionClient::CompletionClient(const ClientSettings& settings, const std::optional<std::string>& api_key,
                                   RetryNotice on_retry)
    : settings_(settings),
      on_retry_(std::move(on_retry)),
      path_(settings.server.path_prefix + kEndpoint),
      url_(settings.server.url(kEndpoint)),
      http_(std::make_unique<httplib::Client>(settings.server.origin())) {
  http_->set_connection_timeout(microseconds(settings.connect_timeout_s));
  http_->set_read_timeout(microseconds(settings.timeout_s));
  http_->set_write_timeout(microseconds(settings.timeout_s));
  http_->set_keep_alive(true);
  http_->set_tcp_nodelay(true);  // headers and body go out in separate writes: no Nagle delay between them
  if (api_key) http_->set_bearer_token_auth(*api_key);
}

CompletionClient::~CompletionClient() = default;

GenerationResult CompletionClient::complete(const GenerationRequest& request) {
  const std::string body = completion_body(settings_, request);
  for (int retry = 0;; ++retry) {
    Attempt outcome = attempt(body, request);
    if (!outcome.retryable) return outcome.result;
    if (retry == settings_.retries) {
      outcome.result.error += " (gave up after " + std::to_string(retry + 1) + " attempts)";
      return outcome.result;
    }
    const double wait_s = outcome.retry_after_s ? std::min(*outcome.retry_after_s, settings_.backoff_max_s)
                                                : backoff_delay_s(retry, settings_.backoff_s, settings_.backoff_max_s);
    if (on_retry_)
      on_retry_(outcome.result.error + "; retry " + std::to_string(retry + 1) + " of " +
                std::to_string(settings_.retries) + " in " + seconds_text(wait_s));
    std::this_thread::sleep_for(microseconds(wait_s));
  }
}

CompletionClient::Attempt CompletionClient::attempt(const std::string& body, const GenerationRequest& request) {
  const httplib::Result response = http_->Post(path_, body, "application/json");
  if (!response) {
    const httplib::Error error = response.error();
    return {error_result("openai: POST " + url_ + ": " + transport_problem(error, settings_)), retryable(error), {}};
  }
  const int status = response->status;
  if (status >= 200 && status < 300) return {parse_completion(response->body, request), false, {}};
  Attempt failed{error_result("openai: POST " + url_ + ": HTTP " + std::to_string(status) + ": " +
                              body_snippet(response->body)),
                 status == 429 || status >= 500,
                 {}};
  if (response->has_header("Retry-After")) failed.retry_after_s = retry_after_s(response->get_header_value("Retry-After"));
  return failed;
}

}  // namespace steper::openai
