// The benchmark text: the parity texts joined by blank lines and repeated to at least 4 MB.
// bench_js_reference.mjs builds the same text from the same file for the JS figure.
#pragma once

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace steper::bpe::bench {

inline constexpr std::size_t kMinimumBytes = 4'000'000;

inline std::vector<std::string> parity_texts(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open");
  const auto document = nlohmann::json::parse(std::string(std::istreambuf_iterator<char>(in), {}));
  return document.at("texts").get<std::vector<std::string>>();
}

// The texts repeated as often as the joined text needs to reach kMinimumBytes.
inline std::vector<std::string> repeated_texts(const std::vector<std::string>& texts) {
  std::size_t unit = 0;
  for (const std::string& text : texts) unit += text.size() + 2;
  const std::size_t copies = (kMinimumBytes + unit - 1) / unit;
  std::vector<std::string> out;
  for (std::size_t c = 0; c < copies; ++c) out.insert(out.end(), texts.begin(), texts.end());
  return out;
}

inline std::string joined(const std::vector<std::string>& texts) {
  std::string out;
  for (const std::string& text : texts) out += text + "\n\n";
  return out;
}

}  // namespace steper::bpe::bench
