#include "completion_client.hpp"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <mutex>
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
    case httplib::Error::Canceled:
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

// Stops `client` (closing its connection) when the request it guards outlives `seconds`: the
// client's own timeouts apply to each read, so a server trickling bytes could hold it forever.
class Deadline {
 public:
  Deadline(httplib::Client& client, double seconds)
      : watcher_([this, &client, seconds] {
          std::unique_lock<std::mutex> lock(mutex_);
          if (!done_changed_.wait_for(lock, microseconds(seconds), [this] { return done_; })) {
            expired_ = true;
            client.stop();
          }
        }) {}
  ~Deadline() {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      done_ = true;
    }
    done_changed_.notify_all();
    watcher_.join();
  }
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  bool expired() {
    const std::lock_guard<std::mutex> lock(mutex_);
    return expired_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable done_changed_;
  bool done_ = false, expired_ = false;
  std::thread watcher_;  // last: starts once the members it reads exist
};

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
  httplib::Request post;
  post.method = "POST";
  post.path = path_;
  post.body = body;
  post.set_header("Content-Type", "application/json");
  std::string answer;
  bool too_large = false;
  post.content_receiver = [&](const char* data, std::size_t length, std::uint64_t, std::uint64_t) {
    too_large = answer.size() + length > static_cast<std::size_t>(settings_.max_response_bytes);
    if (!too_large) answer.append(data, length);
    return !too_large;
  };
  bool expired = false;
  const httplib::Result response = [&] {
    Deadline deadline(*http_, settings_.timeout_s);
    httplib::Result sent = http_->send(post);
    expired = deadline.expired();
    return sent;
  }();
  if (too_large)
    return {error_result("openai: POST " + url_ + ": the answer is longer than max_response_bytes = " +
                         std::to_string(settings_.max_response_bytes)),
            false,
            {}};
  if (!response || expired) {
    const httplib::Error error = expired ? httplib::Error::Canceled : response.error();
    return {error_result("openai: POST " + url_ + ": " + transport_problem(error, settings_)),
            expired || retryable(error),
            {}};
  }
  const int status = response->status;
  if (status >= 200 && status < 300) return {parse_completion(answer, request), false, {}};
  Attempt failed{error_result("openai: POST " + url_ + ": HTTP " + std::to_string(status) + ": " +
                              body_snippet(answer)),
                 status == 429 || status >= 500,
                 {}};
  if (response->has_header("Retry-After")) failed.retry_after_s = retry_after_s(response->get_header_value("Retry-After"));
  return failed;
}

}  // namespace steper::openai
