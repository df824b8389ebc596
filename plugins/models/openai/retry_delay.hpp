// How long to wait before retrying a request: exponential backoff with a cap, or the server's
// Retry-After.
#pragma once

#include <optional>
#include <string_view>

namespace steper::openai {

// base_s * 2^retry (retry 0-based), at most max_s.
double backoff_delay_s(int retry, double base_s, double max_s);

// The seconds of a Retry-After header in its delta-seconds form ("3", "0.5"); nullopt for an
// absent, negative or HTTP-date value (the caller then falls back to backoff).
std::optional<double> retry_after_s(std::string_view header);

}  // namespace steper::openai
