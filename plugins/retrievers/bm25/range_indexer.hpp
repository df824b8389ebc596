// Inverts documents into a PartialIndex, one field of one document (a text) at a time, in
// document order.
//
// Appending a text's postings touches one posting list per distinct term, scattered over a
// vocabulary-sized array; past the frequent words each touch misses the cache, twice (the
// list, then its end). So texts go through a short pipeline: the lists of a text are
// prefetched when it is read, their ends while the next text is read, and its postings are
// appended while the one after is read.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer.hpp"
#include "partial_index.hpp"
#include "string_table.hpp"
#include "term_counter.hpp"

namespace steper::bm25 {

class RangeIndexer {
 public:
  // `documents`: about how many documents will be added, to size the tables.
  RangeIndexer(PartialIndex& partial, std::size_t documents);

  void add(std::uint32_t doc, int field, std::string_view text);
  // Appends the postings still in the pipeline; call once after the last add.
  void finish();

 private:
  struct Text {
    std::uint32_t doc = 0;
    int field = 0;
    std::uint32_t length = 0;  // terms, stop words left out
    std::vector<TermCount> terms;
  };
  static constexpr std::uint32_t kDropped = UINT32_MAX;

  std::uint32_t term_of(const StringTable::Key& token);
  void append(const Text& text);

  PartialIndex& partial_;
  EnglishAnalyzer analyzer_;
  TokenBuffer tokens_;
  std::vector<StringTable::Key> keys_;  // of tokens_
  std::string term_;
  StringTable token_terms_;  // token -> term id or kDropped
  TermCounter counter_;
  std::array<Text, 3> pipeline_;  // by number of the text modulo 3
  std::uint64_t texts_ = 0;       // added so far
};

}  // namespace steper::bm25
