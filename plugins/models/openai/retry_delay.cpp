#include "retry_delay.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>

namespace steper::openai {

double backoff_delay_s(int retry, double base_s, double max_s) {
  return std::min(max_s, base_s * std::ldexp(1.0, std::min(retry, 62)));
}

std::optional<double> retry_after_s(std::string_view header) {
  while (!header.empty() && header.front() == ' ') header.remove_prefix(1);
  while (!header.empty() && header.back() == ' ') header.remove_suffix(1);
  if (header.empty() || header.find_first_not_of("0123456789.") != std::string_view::npos) return std::nullopt;
  const std::string text(header);
  char* end = nullptr;
  const double seconds = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(seconds)) return std::nullopt;
  return seconds;
}

}  // namespace steper::openai
