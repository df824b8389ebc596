// base_url into scheme, host, port and path prefix; every malformed URL refused with a reason.
#include <gtest/gtest.h>

#include <stdexcept>

#include "server_address.hpp"

namespace steper::openai {
namespace {

std::string refusal(const std::string& url) {
  try {
    parse_server_address(url);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(ServerAddress, SplitsAUrl) {
  const ServerAddress plain = parse_server_address("http://127.0.0.1:8000");
  EXPECT_EQ(plain.scheme, "http");
  EXPECT_EQ(plain.host, "127.0.0.1");
  EXPECT_EQ(plain.port, 8000);
  EXPECT_EQ(plain.path_prefix, "");
  EXPECT_EQ(plain.url("/v1/completions"), "http://127.0.0.1:8000/v1/completions");

  const ServerAddress proxied = parse_server_address("https://gateway.example/llama70b/");
  EXPECT_EQ(proxied.port, 443);
  EXPECT_EQ(proxied.path_prefix, "/llama70b");
  EXPECT_EQ(proxied.origin(), "https://gateway.example:443");

  EXPECT_EQ(parse_server_address("http://localhost").port, 80);
  const ServerAddress ipv6 = parse_server_address("http://[::1]:8080");
  EXPECT_EQ(ipv6.host, "::1");
  EXPECT_EQ(ipv6.origin(), "http://[::1]:8080");
}

TEST(ServerAddress, RefusesMalformedUrls) {
  EXPECT_EQ(refusal("127.0.0.1:8000"), "no scheme: it must start with http:// or https://");
  EXPECT_EQ(refusal("ftp://host"), "scheme 'ftp': only http and https are supported");
  EXPECT_EQ(refusal("http://"), "no host");
  EXPECT_EQ(refusal("http://:8000"), "no host");
  EXPECT_EQ(refusal("http://host:"), "port '': expected a number from 1 to 65535");
  EXPECT_EQ(refusal("http://host:0"), "port '0': expected a number from 1 to 65535");
  EXPECT_EQ(refusal("http://host:123456"), "port '123456': expected a number from 1 to 65535");
  EXPECT_EQ(refusal("http://host:80a"), "port '80a': expected a number from 1 to 65535");
  EXPECT_EQ(refusal("http://host:8000/v1"),
            "a path ending in /v1: give the server's root, the client appends /v1/completions");
  EXPECT_EQ(refusal("http://host/x?y=1"), "a query or fragment: give only scheme, host, port and path");
  EXPECT_EQ(refusal("http://user:sk-1@host"),
            "credentials in the URL: name an environment variable in api_key_env instead");
  EXPECT_EQ(refusal("http://[::1"), "an IPv6 host without its closing ']'");
  EXPECT_EQ(refusal("http://[::1]x"), "text after the IPv6 host that is not ':port'");
}

}  // namespace
}  // namespace steper::openai
