#include "server_address.hpp"

#include <stdexcept>

namespace steper::openai {
namespace {

bool is_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

std::string ServerAddress::origin() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return scheme + "://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string ServerAddress::url(std::string_view endpoint) const { return origin() + path_prefix + std::string(endpoint); }

ServerAddress parse_server_address(std::string_view url) {
  ServerAddress address;
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) throw std::invalid_argument("no scheme: it must start with http:// or https://");
  address.scheme = std::string(url.substr(0, scheme_end));
  if (address.scheme != "http" && address.scheme != "https")
    throw std::invalid_argument("scheme '" + address.scheme + "': only http and https are supported");
  std::string_view rest = url.substr(scheme_end + 3);
  if (rest.find_first_of("?#") != std::string_view::npos)
    throw std::invalid_argument("a query or fragment: give only scheme, host, port and path");

  const std::size_t path_start = rest.find('/');
  std::string_view authority = rest.substr(0, path_start);
  std::string_view path = path_start == std::string_view::npos ? std::string_view() : rest.substr(path_start);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.size() >= 3 && path.substr(path.size() - 3) == "/v1")
    throw std::invalid_argument("a path ending in /v1: give the server's root, the client appends /v1/completions");
  address.path_prefix = std::string(path);

  if (authority.find('@') != std::string_view::npos)
    throw std::invalid_argument("credentials in the URL: name an environment variable in api_key_env instead");
  bool has_port = false;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) throw std::invalid_argument("an IPv6 host without its closing ']'");
    address.host = std::string(authority.substr(1, close - 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') throw std::invalid_argument("text after the IPv6 host that is not ':port'");
    has_port = !after.empty();
    if (has_port) port = after.substr(1);
  } else {
    const std::size_t colon = authority.find(':');
    address.host = std::string(authority.substr(0, colon));
    has_port = colon != std::string_view::npos;
    if (has_port) port = authority.substr(colon + 1);
  }
  if (address.host.empty()) throw std::invalid_argument("no host");
  address.port = address.scheme == "https" ? 443 : 80;
  if (has_port) {
    const int number = is_digits(port) && port.size() <= 5 ? std::stoi(std::string(port)) : 0;
    if (number < 1 || number > 65535)
      throw std::invalid_argument("port '" + std::string(port) + "': expected a number from 1 to 65535");
    address.port = number;
  }
  return address;
}

}  // namespace steper::openai
