#include "analyzer.hpp"

#include <libstemmer.h>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace steper::bm25 {
namespace {

// Word-break classes of UAX #29 that the standard tokenizer's rules look at.
enum class CharClass { other, letter, digit, ideograph, mid_letter, mid_num, mid_num_letter, single_quote, connector };

CharClass classify(char32_t c) {
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

// Decodes UTF-8; a malformed byte becomes U+FFFD, which separates words.
void decode_utf8(std::string_view text, std::vector<char32_t>& out) {
  out.clear();
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char lead = s[i];
    if (lead < 0x80) {
      out.push_back(lead);
      ++i;
      continue;
    }
    const int length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
    char32_t c = length == 4 ? lead & 0x07 : length == 3 ? lead & 0x0F : lead & 0x1F;
    bool valid = length != 0 && i + length <= n;
    for (int j = 1; valid && j < length; ++j) {
      valid = (s[i + j] & 0xC0) == 0x80;
      c = (c << 6) | (s[i + j] & 0x3F);
    }
    out.push_back(valid ? c : 0xFFFD);
    i += valid ? length : 1;
  }
}

void append_utf8(char32_t c, std::string& out) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
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

std::vector<std::string> standard_tokens(std::string_view text) {
  thread_local std::vector<char32_t> chars;
  thread_local std::vector<CharClass> classes;
  decode_utf8(text, chars);
  classes.resize(chars.size());
  for (std::size_t i = 0; i < chars.size(); ++i) classes[i] = classify(chars[i]);

  std::vector<std::string> tokens;
  std::string token;
  bool has_alphanumeric = false;
  auto finish = [&] {
    if (has_alphanumeric) tokens.push_back(token);
    token.clear();
    has_alphanumeric = false;
  };
  const std::size_t n = chars.size();
  for (std::size_t i = 0; i < n; ++i) {
    const CharClass c = classes[i];
    if (c == CharClass::ideograph) {
      finish();
      append_utf8(chars[i], token);
      has_alphanumeric = true;
      finish();
    } else if (is_word_part(c)) {
      append_utf8(to_lower(chars[i]), token);
      has_alphanumeric = has_alphanumeric || c != CharClass::connector;
    } else if (!token.empty() && i + 1 < n && joins(classes[i - 1], c, classes[i + 1])) {
      append_utf8(chars[i], token);
    } else {
      finish();
    }
  }
  finish();
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
  std::vector<std::string> tokens = standard_tokens(text);
  std::size_t kept = 0;
  for (std::size_t i = 0; i < tokens.size(); ++i)
    if (filter(tokens[i]) && kept++ != i) tokens[kept - 1] = std::move(tokens[i]);
  tokens.resize(kept);
  return tokens;
}

}  // namespace steper::bm25
