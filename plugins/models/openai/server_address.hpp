// The server part of `base_url`: scheme, host, port and an optional path prefix (for a server
// behind a reverse proxy at e.g. http://gateway/llama70b).
#pragma once

#include <string>
#include <string_view>

namespace steper::openai {

struct ServerAddress {
  std::string scheme;       // "http" or "https"
  std::string host;         // a name, an IPv4 address, or an IPv6 address without brackets
  int port = 0;             // 80 or 443 when the URL gives none
  std::string path_prefix;  // "" or "/a/b", without a trailing slash

  // "scheme://host:port", what the HTTP client connects to.
  std::string origin() const;
  // The URL of an endpoint such as "/v1/completions", for messages.
  std::string url(std::string_view endpoint) const;
};

// Throws std::invalid_argument saying what is wrong with the URL (without repeating it).
ServerAddress parse_server_address(std::string_view url);

}  // namespace steper::openai
