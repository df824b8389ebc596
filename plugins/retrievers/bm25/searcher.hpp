// Exact top-k BM25 search over a loaded index: title and text scored separately and summed,
// as Elasticsearch's bool/should of two match queries; ties go to the lower paragraph id.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "index_builder.hpp"
#include "index_file.hpp"
#include "scoring.hpp"
#include "steper/types.hpp"

namespace steper::bm25 {

// Per-thread working memory of a search, sized to the corpus on first use.
struct SearchScratch {
  std::vector<double> scores;         // by document
  std::vector<std::uint8_t> matched;  // by document: whether any query term occurs in it
  std::vector<std::uint32_t> matched_docs;
};

class Searcher {
 public:
  // Maps the index files in `dir`; throws std::runtime_error naming a file that does not match.
  Searcher(const std::string& dir, const IndexIdentity& identity, const Parameters& parameters);

  // `terms` are analyzed query terms; a repeated term counts once per occurrence, as in a
  // match query. Thread-safe with one scratch per thread. k >= 1.
  std::vector<RetrievalHit> search(const std::vector<std::string>& terms, std::size_t k, SearchScratch& scratch) const;

  std::size_t document_count() const { return document_count_; }
  std::uint64_t posting_count() const;
  std::size_t index_bytes() const;

 private:
  Parameters parameters_;
  std::size_t document_count_;
  FieldIndex fields_[kFieldCount];
  DocumentsIndex documents_;
  std::vector<double> length_norms_[kFieldCount];  // 1 − b + b·dl/avgdl by document
};

}  // namespace steper::bm25
