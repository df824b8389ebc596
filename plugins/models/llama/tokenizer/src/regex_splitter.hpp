// A split pattern compiled with PCRE2 (UTF and Unicode properties, JIT when the build has it).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace steper::bpe {

class RegexSplitter {
 public:
  // Both throw std::invalid_argument with PCRE2's message and the offset it points at.
  static RegexSplitter regex(const std::string& pattern);
  static RegexSplitter literal(const std::string& text);

  // Appends the pieces of `text` (valid UTF-8) to `out`: every match and every stretch between
  // two matches, in order (Hugging Face's Split with behavior Isolated). Thread-safe.
  void split(std::string_view text, std::vector<std::string_view>& out) const;

 private:
  struct Compiled;
  explicit RegexSplitter(std::shared_ptr<const Compiled> compiled);
  std::shared_ptr<const Compiled> compiled_;
};

}  // namespace steper::bpe
