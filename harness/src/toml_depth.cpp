#include "toml_depth.hpp"

#include <vector>

#include "config_toml.hpp"

namespace steper {
namespace {

class DepthScanner {
 public:
  DepthScanner(std::string_view text, const std::string& file) : text_(text), file_(file) {}

  void scan() {
    while (at_ < text_.size()) {
      const char c = text_[at_];
      if (c == '"' || c == '\'') {
        skip_string(c);
        continue;
      }
      if (c == '#') {
        while (at_ < text_.size() && text_[at_] != '\n') advance();
        continue;
      }
      step(c);
      advance();
    }
  }

 private:
  // One character outside strings and comments.
  void step(char c) {
    switch (c) {
      case '.':
        ++chain_dots_;
        require((in_header_ && !header_closed_ ? 0 : base()) + chain_dots_ + 1);  // a header is absolute
        break;
      case '[':
        if (open_.empty() && (line_start_ || in_header_)) {
          in_header_ = true;  // `[table]` or `[[array]]`
        } else {
          open();
        }
        chain_dots_ = 0;
        break;
      case '{':
        open();
        chain_dots_ = 0;
        break;
      case ']':
        if (open_.empty() && in_header_) {
          if (!header_closed_) header_depth_ = chain_dots_ + 1;
          header_closed_ = true;
        } else if (!open_.empty()) {
          open_.pop_back();
        }
        chain_dots_ = 0;
        break;
      case '}':
        if (!open_.empty()) open_.pop_back();
        chain_dots_ = 0;
        break;
      case ' ':
      case '\t':
      case '\r':
        break;
      case '=':
        value_of_ = base() + chain_dots_ + 1;  // the key's own depth; its value nests below it
        chain_dots_ = 0;
        break;
      case '\n':
      case ',':
        value_of_ = 0;
        chain_dots_ = 0;
        break;
      default:
        break;  // bare-key characters and values keep the chain
    }
    if (c == '\n') {
      line_start_ = true;
      in_header_ = header_closed_ = false;
    } else if (c != ' ' && c != '\t' && c != '\r') {
      line_start_ = false;
    }
  }

  void open() {
    const int depth = (value_of_ > 0 ? value_of_ : base()) + 1;
    require(depth);
    open_.push_back(depth);
    value_of_ = 0;
  }

  int base() const { return open_.empty() ? header_depth_ : open_.back(); }

  void require(int depth) const {
    if (depth > kMaxTomlDepth)
      throw_config_error({file_, line_, column_}, "tables and arrays nested " + std::to_string(depth) +
                                                      " levels deep; at most " + std::to_string(kMaxTomlDepth) +
                                                      " are allowed");
  }

  // A basic ("...", with escapes) or literal ('...') string, single- or multi-line; keeps the chain.
  void skip_string(char quote) {
    const bool multi_line = text_.substr(at_, 3) == std::string(3, quote);
    const std::size_t quotes = multi_line ? 3 : 1;
    for (std::size_t i = 0; i < quotes; ++i) advance();
    line_start_ = false;
    while (at_ < text_.size()) {
      if (quote == '"' && text_[at_] == '\\') {
        advance();
        if (at_ < text_.size()) advance();
        continue;
      }
      if (text_.substr(at_, quotes) == std::string(quotes, quote)) {
        for (std::size_t i = 0; i < quotes; ++i) advance();
        return;
      }
      if (!multi_line && text_[at_] == '\n') return;  // unterminated: toml++ reports it
      advance();
    }
  }

  void advance() {
    if (text_[at_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++at_;
  }

  std::string_view text_;
  const std::string& file_;
  std::size_t at_ = 0;
  int line_ = 1, column_ = 1;
  int header_depth_ = 0;   // the current [table]'s depth
  int chain_dots_ = 0;     // dots of the dotted key being read
  int value_of_ = 0;       // after `key =`: the key's depth
  std::vector<int> open_;  // depth of each open inline table or array
  bool line_start_ = true, in_header_ = false, header_closed_ = false;
};

}  // namespace

void check_toml_depth(std::string_view text, const std::string& file) { DepthScanner(text, file).scan(); }

}  // namespace steper
