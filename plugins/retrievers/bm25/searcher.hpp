// Exact top-k BM25 search over a loaded index: title and text scored separately and summed,
// as Elasticsearch's bool/should of two match queries; ties go to the lower paragraph id.
//
// `search` prunes with MaxScore (Turtle and Flood 1995) over the query's (field, term) posting
// lists, document at a time, and skips blocks whose max weight cannot lift a document into
// the top k (pruned_search.cpp). It returns exactly what `search_exhaustive` (every posting, term at a time)
// returns: the same documents, the same scores bit for bit, in the same order. Both add a
// document's term scores in one order (title terms, then text terms, each in byte order of
// the term), and pruning only drops a document whose upper bound, widened to cover rounding,
// is below the k-th score, so no document that could tie or beat it is lost.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "index_builder.hpp"
#include "index_file.hpp"
#include "posting_cursor.hpp"
#include "scoring.hpp"
#include "steper/types.hpp"

namespace steper::bm25 {

// One posting list of a query: a term of one field, and what its tf weights are multiplied by
// (the term's idf times how often the query repeats it).
struct QueryList {
  int field;
  std::uint64_t term;
  double weight;
};

// A posting of a short list, which pruned search decodes up front.
struct ShortPosting {
  std::uint32_t doc;
  std::uint32_t list;
  std::uint32_t tf;
  std::uint32_t length;
};

// Per-thread working memory of a search, grown on first use.
struct SearchScratch {
  std::vector<double> scores;         // exhaustive, by document
  std::vector<std::uint8_t> matched;  // exhaustive, by document: whether any query term occurs in it
  std::vector<std::uint32_t> matched_docs;
  // pruned: the short lists' postings in document order, then a sentinel
  std::vector<ShortPosting> short_postings;
  // pruned, by position in ascending order of the long lists' bounds:
  std::vector<std::size_t> positions;    // the list at each position
  std::vector<PostingCursor> cursors;
  std::vector<std::uint32_t> docs;       // each cursor's document, side by side for the scan
  std::vector<double> bounds;            // each list's largest term score
  std::vector<double> bound_sums;        // sums of the bounds up to each position
  std::vector<double> block_bound_sums;  // the same from the blocks around the current document
  // pruned, by list:
  std::vector<double> contributions;  // term scores in the current document
  std::vector<std::size_t> touched;   // lists with a term score in the current document
};

class Searcher {
 public:
  // Maps the index files in `dir`; throws std::runtime_error naming a file that does not match.
  // `parameters` must be the ones the identity describes (the max weights depend on them).
  Searcher(const std::string& dir, const IndexIdentity& identity, const Parameters& parameters);

  // `terms` are analyzed query terms; a repeated term counts once per occurrence, as in a
  // match query. Thread-safe with one scratch per thread. k >= 1.
  std::vector<RetrievalHit> search(const std::vector<std::string>& terms, std::size_t k, SearchScratch& scratch) const;
  std::vector<RetrievalHit> search_exhaustive(const std::vector<std::string>& terms, std::size_t k,
                                              SearchScratch& scratch) const;

  std::size_t document_count() const { return document_count_; }
  std::uint64_t posting_count() const;
  std::size_t index_bytes() const;

 private:
  // The query's lists, title lists first, each field's in byte order of the term: the order in
  // which both searches add term scores.
  std::vector<QueryList> query_lists(const std::vector<std::string>& terms) const;
  double term_score(const QueryList& list, std::uint32_t tf, std::uint32_t length) const {
    const double norm = length < kNormTableSize ? norm_tables_[list.field][length]
                                                : length_norm(parameters_, length, average_lengths_[list.field]);
    return list.weight * tf_weight(parameters_, tf, norm);
  }

  Parameters parameters_;
  std::size_t document_count_;
  FieldIndex fields_[kFieldCount];
  DocumentsIndex documents_;
  double average_lengths_[kFieldCount] = {};
  // length_norm of the short lengths, looked up instead of divided for; the same values.
  static constexpr std::uint32_t kNormTableSize = 1024;
  std::vector<double> norm_tables_[kFieldCount];
};

}  // namespace steper::bm25
