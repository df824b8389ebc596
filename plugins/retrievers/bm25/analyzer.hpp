// An analyzer equivalent to Elasticsearch's `english` analyzer: standard tokenizer (UAX #29
// word boundaries, approximated without ICU tables), English possessive removal, lower-case,
// Lucene's English stop words, Porter stemming (libstemmer's "porter", as Lucene's
// PorterStemFilter).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

struct sb_stemmer;

namespace steper::bm25 {

// Recorded in every index header; raise the number whenever the analyzer's output changes.
inline constexpr const char* kAnalyzerName = "english-porter-v1";

// The tokens of one text, concatenated in one buffer that is reused from text to text.
struct TokenBuffer {
  std::string chars;
  std::vector<std::uint32_t> ends;  // where each token ends in `chars`
  std::size_t size() const { return ends.size(); }
  std::string_view operator[](std::size_t i) const {
    const std::uint32_t begin = i == 0 ? 0 : ends[i - 1];
    return std::string_view(chars).substr(begin, ends[i] - begin);
  }
};

// Splits text into lower-cased tokens (stop words and possessives kept, no stemming).
std::vector<std::string> standard_tokens(std::string_view text);
// The same tokens, written into `out` (cleared first) without allocating once it has grown.
void standard_tokens(std::string_view text, TokenBuffer& out);
bool is_english_stop_word(std::string_view token);

// Not thread-safe (the stemmer keeps state): one per thread.
class EnglishAnalyzer {
 public:
  EnglishAnalyzer();
  ~EnglishAnalyzer();
  EnglishAnalyzer(const EnglishAnalyzer&) = delete;
  EnglishAnalyzer& operator=(const EnglishAnalyzer&) = delete;

  std::vector<std::string> analyze(std::string_view text);
  // The filters after the tokenizer, for one token of standard_tokens: turns it into its stem,
  // or returns false when it is dropped (a stop word).
  bool filter(std::string& token);

 private:
  sb_stemmer* stemmer_;
  TokenBuffer tokens_;
};

}  // namespace steper::bm25
