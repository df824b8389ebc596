// The `openai` plugin's TOML table, one field per key with its default beside it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "server_address.hpp"
#include "steper/settings.hpp"

namespace steper::openai {

struct ClientSettings {
  ServerAddress server;               // base_url (required), e.g. "http://127.0.0.1:8000"
  std::string model;                  // model (required): the name the server serves
  std::string api_key_env;            // the environment variable holding the key; "" sends none
  double timeout_s = 600.0;           // the longest a request may take, first byte sent to last byte read
  std::int64_t max_response_bytes = std::int64_t{16} << 20;  // a longer answer is an error, not read on
  double connect_timeout_s = 10.0;
  int retries = 3;                    // further attempts after 429, 5xx, timeouts and connection errors
  double backoff_s = 1.0;             // the wait before retry r (0-based) is backoff_s * 2^r ...
  double backoff_max_s = 30.0;        // ... capped here, and Retry-After too
  int concurrency = 8;                // requests in flight at once within one generate call
  int max_tokens = 0;                 // a cap on each request's max_new_tokens; 0: none
  std::vector<std::string> stop;      // stop strings sent with every request besides its own

  // Throws ConfigError at the offending key. Compiled into the plugin, not the client library,
  // since it needs the core library's Settings.
  static ClientSettings read(Settings& settings);
};

}  // namespace steper::openai
