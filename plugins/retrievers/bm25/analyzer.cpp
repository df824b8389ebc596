#include "analyzer.hpp"

#include <libstemmer.h>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace steper::bm25 {
namespace {

// Word-break classes of UAX #29 that the standard tokenizer's rules look at.
enum class CharClass { other, letter, digit, ideograph, mid_letter, mid_num, mid_num_letter, single_quote, connector };

constexpr CharClass classify(char32_t c) {
  if (c < 0x80) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return CharClass::letter;
    if (c >= '0' && c <= '9') return CharClass::digit;
    switch (c) {
      case '_': return CharClass::connector;
      case '\'': return CharClass::single_quote;
      case '.': return CharClass::mid_num_letter;
      case ':': return CharClass::mid_letter;
      case ',': case ';': return CharClass::mid_num;
      default: return CharClass::other;
    }
  }
  switch (c) {
    case 0x2018: case 0x2019: case 0x2024: case 0xFE52: case 0xFF07: case 0xFF0E: return CharClass::mid_num_letter;
    case 0x00B7: case 0x2027: return CharClass::mid_letter;
    case 0x203F: case 0x2040: return CharClass::connector;
    case 0x00AA: case 0x00B5: case 0x00BA: return CharClass::letter;
    default: break;
  }
  if (c >= 0xFF10 && c <= 0xFF19) return CharClass::digit;
  if ((c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
      (c >= 0x3040 && c <= 0x309F) || (c >= 0x20000 && c <= 0x2FFFF))
    return CharClass::ideograph;
  // Latin-1 punctuation and symbols, general punctuation, symbols and arrows, CJK punctuation,
  // small and full-width forms' punctuation, emoji, replacement character.
  if (c <= 0xBF || c == 0xD7 || c == 0xF7 || (c >= 0x2000 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F) ||
      (c >= 0xFE30 && c <= 0xFE6F) || (c >= 0xFF00 && c <= 0xFF20) || (c >= 0x1F000 && c <= 0x1FAFF) || c == 0xFFFD)
    return CharClass::other;
  return CharClass::letter;  // other scripts, and combining marks, which stay inside a word
}

char32_t to_lower(char32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  if ((c >= 0xC0 && c <= 0xDE && c != 0xD7) || (c >= 0x391 && c <= 0x3AB && c != 0x3A2) || (c >= 0x410 && c <= 0x42F))
    return c + 32;
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x138 && c != 0x149 && c != 0x178) {
    // Latin Extended-A pairs: upper case on even code points, except the run 0x139-0x148.
    const bool odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
    if ((c % 2 == 1) == odd_upper) return c + 1;
  }
  return c;
}

constexpr std::array<CharClass, 128> kAsciiClasses = [] {
  std::array<CharClass, 128> classes{};
  for (char32_t c = 0; c < 128; ++c) classes[c] = classify(c);
  return classes;
}();

CharClass class_of(char32_t c) { return c < 0x80 ? kAsciiClasses[c] : classify(c); }

bool is_ascii_alphanumeric(unsigned char c) {
  return c < 0x80 && (kAsciiClasses[c] == CharClass::letter || kAsciiClasses[c] == CharClass::digit);
}

// Decodes the UTF-8 character at s[i] and returns its length in bytes; a malformed byte
// becomes U+FFFD (one byte long), which separates words.
std::size_t decode_at(const unsigned char* s, std::size_t n, std::size_t i, char32_t& c) {
  const unsigned char lead = s[i];
  if (lead < 0x80) {
    c = lead;
    return 1;
  }
  const std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
  char32_t value = length == 4 ? lead & 0x07 : length == 3 ? lead & 0x0F : lead & 0x1F;
  bool valid = length != 0 && i + length <= n;
  for (std::size_t j = 1; valid && j < length; ++j) {
    valid = (s[i + j] & 0xC0) == 0x80;
    value = (value << 6) | (s[i + j] & 0x3F);
  }
  c = valid ? value : 0xFFFD;
  return valid ? length : 1;
}

CharClass class_at(const unsigned char* s, std::size_t n, std::size_t i) {
  char32_t c;
  decode_at(s, n, i, c);
  return class_of(c);
}

char* append_utf8(char32_t c, char* out) {
  if (c < 0x80) {
    *out++ = static_cast<char>(c);
  } else if (c < 0x800) {
    *out++ = static_cast<char>(0xC0 | (c >> 6));
    *out++ = static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    *out++ = static_cast<char>(0xE0 | (c >> 12));
    *out++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (c & 0x3F));
  } else {
    *out++ = static_cast<char>(0xF0 | (c >> 18));
    *out++ = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    *out++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (c & 0x3F));
  }
  return out;
}

bool is_word_part(CharClass c) {
  return c == CharClass::letter || c == CharClass::digit || c == CharClass::connector;
}

// Whether the punctuation `mid` between `before` and `after` keeps them in one word (WB6/7, WB11/12).
bool joins(CharClass before, CharClass mid, CharClass after) {
  if (before == CharClass::letter && after == CharClass::letter)
    return mid == CharClass::mid_letter || mid == CharClass::mid_num_letter || mid == CharClass::single_quote;
  if (before == CharClass::digit && after == CharClass::digit)
    return mid == CharClass::mid_num || mid == CharClass::mid_num_letter || mid == CharClass::single_quote;
  return false;
}

// Lucene's EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, sorted.
constexpr std::array<std::string_view, 33> kStopWords = {
    "a",    "an",   "and",   "are",  "as",   "at",    "be",   "but",   "by",   "for",  "if",
    "in",   "into", "is",    "it",   "no",   "not",   "of",   "on",    "or",   "such", "that",
    "the",  "their", "then", "there", "these", "they", "this", "to",   "was",  "will", "with"};

// EnglishPossessiveFilter: drops a trailing 's, ’s or ＇s.
void remove_possessive(std::string& token) {
  for (const std::string_view apostrophe : {"'", "\u2019", "\uFF07"}) {
    const std::size_t suffix = apostrophe.size() + 1;
    if (token.size() >= suffix && token.back() == 's' &&
        std::string_view(token).substr(token.size() - suffix, apostrophe.size()) == apostrophe) {
      token.resize(token.size() - suffix);
      return;
    }
  }
}

}  // namespace

bool is_english_stop_word(std::string_view token) {
  return std::binary_search(kStopWords.begin(), kStopWords.end(), token);
}

void standard_tokens(std::string_view text, TokenBuffer& out) {
  // Tokens never take more bytes than the text they come from (lower-casing keeps each
  // character's UTF-8 length), so they are written into a buffer of the text's size.
  out.chars.resize(text.size());
  out.ends.clear();
  char* const tokens = out.chars.data();
  char* at = tokens;
  char* token_start = tokens;  // of the token being read
  bool has_alphanumeric = false;
  auto finish = [&] {
    if (has_alphanumeric) out.ends.push_back(static_cast<std::uint32_t>(at - tokens));
    else at = token_start;
    token_start = at;
    has_alphanumeric = false;
  };
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  CharClass previous = CharClass::other;
  for (std::size_t i = 0; i < n;) {
    if (is_ascii_alphanumeric(s[i])) {  // the common case, a run of ASCII letters and digits, at once
      for (; i < n && is_ascii_alphanumeric(s[i]); ++i) *at++ = static_cast<char>(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
      has_alphanumeric = true;
      previous = kAsciiClasses[s[i - 1]];
      continue;
    }
    char32_t c;
    const std::size_t length = decode_at(s, n, i, c);
    const CharClass current = class_of(c);
    if (current == CharClass::ideograph) {
      finish();
      at = append_utf8(c, at);
      has_alphanumeric = true;
      finish();
    } else if (is_word_part(current)) {
      at = append_utf8(to_lower(c), at);
      has_alphanumeric = has_alphanumeric || current != CharClass::connector;
    } else if (at > token_start && i + length < n && joins(previous, current, class_at(s, n, i + length))) {
      at = append_utf8(c, at);
    } else {
      finish();
    }
    previous = current;
    i += length;
  }
  finish();
  out.chars.resize(static_cast<std::size_t>(at - tokens));
}

std::vector<std::string> standard_tokens(std::string_view text) {
  TokenBuffer buffer;
  standard_tokens(text, buffer);
  std::vector<std::string> tokens;
  tokens.reserve(buffer.size());
  for (std::size_t i = 0; i < buffer.size(); ++i) tokens.emplace_back(buffer[i]);
  return tokens;
}

EnglishAnalyzer::EnglishAnalyzer() : stemmer_(sb_stemmer_new("porter", "UTF_8")) {
  if (stemmer_ == nullptr) throw std::runtime_error("bm25: libstemmer has no 'porter' stemmer for UTF_8");
}

EnglishAnalyzer::~EnglishAnalyzer() { sb_stemmer_delete(stemmer_); }

bool EnglishAnalyzer::filter(std::string& token) {
  remove_possessive(token);
  if (token.empty() || is_english_stop_word(token)) return false;
  const sb_symbol* stem =
      sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(token.data()), static_cast<int>(token.size()));
  if (stem == nullptr) throw std::bad_alloc();
  token.assign(reinterpret_cast<const char*>(stem), static_cast<std::size_t>(sb_stemmer_length(stemmer_)));
  return true;
}

std::vector<std::string> EnglishAnalyzer::analyze(std::string_view text) {
  standard_tokens(text, tokens_);
  std::vector<std::string> terms;
  std::string token;
  for (std::size_t i = 0; i < tokens_.size(); ++i) {
    token.assign(tokens_[i]);
    if (filter(token)) terms.push_back(token);
  }
  return terms;
}

}  // namespace steper::bm25
