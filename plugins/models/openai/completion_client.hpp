// POST /v1/completions over one HTTP connection, with retries: 429, 5xx, timeouts and
// connection errors are retried with backoff (or after Retry-After); any other failure becomes
// an error result at once. Not thread-safe: use one client per thread.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "client_settings.hpp"
#include "steper/types.hpp"

namespace httplib {
class Client;
}

namespace steper::openai {

class CompletionClient {
 public:
  // Called before each wait for a retry with a line saying why and for how long.
  using RetryNotice = std::function<void(const std::string&)>;

  CompletionClient(const ClientSettings& settings, const std::optional<std::string>& api_key, RetryNotice on_retry);
  ~CompletionClient();
  CompletionClient(const CompletionClient&) = delete;
  CompletionClient& operator=(const CompletionClient&) = delete;

  // Never throws for what the server or network does: failures come back with finish_reason
  // "error" and `error` naming the URL, the problem and the attempts made.
  GenerationResult complete(const GenerationRequest& request);

 private:
  struct Attempt;
  Attempt attempt(const std::string& body, const GenerationRequest& request);

  const ClientSettings& settings_;
  RetryNotice on_retry_;
  std::string path_;  // the endpoint's path on the server
  std::string url_;   // the endpoint's full URL, for messages
  std::unique_ptr<httplib::Client> http_;
};

}  // namespace steper::openai
