#include "client_settings.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace steper::openai {
namespace {

constexpr int kMaxConcurrency = 1024;  // each request in flight is a thread

double read_seconds(Settings& settings, const char* key, double fallback, double minimum) {
  const double seconds = settings.get<double>(key, fallback);
  if (!std::isfinite(seconds) || seconds < minimum)
    settings.fail(key, "a number of seconds " + std::string(minimum > 0 ? "> 0" : ">= 0"));
  return seconds;
}

}  // namespace

ClientSettings ClientSettings::read(Settings& settings) {
  ClientSettings s;
  const std::string base_url = settings.require<std::string>("base_url");
  try {
    s.server = parse_server_address(base_url);
  } catch (const std::invalid_argument& e) {
    settings.fail("base_url", "a URL such as \"http://127.0.0.1:8000\"; this one has " + std::string(e.what()));
  }
  s.model = settings.require<std::string>("model");
  if (s.model.empty()) settings.fail("model", "the name of the model the server serves");
  if (settings.has("api_key_env")) {
    s.api_key_env = settings.get<std::string>("api_key_env", "");
    if (s.api_key_env.empty() || s.api_key_env.find('=') != std::string::npos)
      settings.fail("api_key_env", "the name of an environment variable holding the API key (not the key)");
  }
  // Timeouts have microsecond resolution; a positive value below that would mean "no wait".
  s.timeout_s = read_seconds(settings, "timeout_s", s.timeout_s, 1e-6);
  s.connect_timeout_s = read_seconds(settings, "connect_timeout_s", s.connect_timeout_s, 1e-6);
  s.max_response_bytes = settings.get<std::int64_t>("max_response_bytes", s.max_response_bytes);
  if (s.max_response_bytes < 1) settings.fail("max_response_bytes", "a size in bytes >= 1");
  s.retries = settings.get<int>("retries", s.retries);
  if (s.retries < 0) settings.fail("retries", "a count >= 0 of attempts after the first");
  s.backoff_s = read_seconds(settings, "backoff_s", s.backoff_s, 0);
  s.backoff_max_s = read_seconds(settings, "backoff_max_s", s.backoff_max_s, 0);
  if (s.backoff_max_s < s.backoff_s) settings.fail("backoff_max_s", "a number of seconds >= backoff_s");
  s.concurrency = settings.get<int>("concurrency", s.concurrency);
  if (s.concurrency < 1 || s.concurrency > kMaxConcurrency)
    settings.fail("concurrency", "a count from 1 to " + std::to_string(kMaxConcurrency) + " of requests in flight");
  s.max_tokens = settings.get<int>("max_tokens", s.max_tokens);
  if (s.max_tokens < 0) settings.fail("max_tokens", "a token count >= 1, or 0 for no cap");
  s.stop = settings.get<std::vector<std::string>>("stop", s.stop);
  for (const std::string& stop : s.stop)
    if (stop.empty()) settings.fail("stop", "non-empty stop strings");
  return s;
}

}  // namespace steper::openai
