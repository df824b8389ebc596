// Searcher::search: MaxScore, document at a time (see searcher.hpp), with block max weights.
//
// Short lists (at most kShortList postings: most title terms, rare text terms) are decoded up
// front into one array in document order; they always propose their documents. The other
// lists are walked with cursors, in ascending order of their bounds (weight × max weight). The
// longest prefix of those whose bounds sum below the k-th score is "non-essential": a document
// found only there cannot enter the top k, so only the other ("essential") lists and the short
// ones propose documents. A proposed document gets its term scores from them; then the
// non-essential lists are probed for it, from the largest bound down, until its bound (their
// block max weights around it in place of their term scores) falls below the k-th score.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "searcher.hpp"
#include "top_k.hpp"

namespace steper::bm25 {
namespace {

// Lists this short cost more in the per-document scan over cursors than in one merged array
// (measured on 5M paragraphs: 256 and 4096 were slower).
constexpr std::uint32_t kShortList = 1024;

}  // namespace

std::vector<RetrievalHit> Searcher::search(const std::vector<std::string>& terms, std::size_t k,
                                           SearchScratch& scratch) const {
  const std::vector<QueryList> lists = query_lists(terms);  // in the order scores are summed in
  const std::size_t n = lists.size();
  auto& short_postings = scratch.short_postings;
  auto& positions = scratch.positions;  // the long lists, by ascending bound
  auto& cursors = scratch.cursors;        // and the rest, by position
  auto& docs = scratch.docs;
  auto& bounds = scratch.bounds;
  auto& bound_sums = scratch.bound_sums;
  auto& block_bound_sums = scratch.block_bound_sums;
  auto& contributions = scratch.contributions;  // by list
  auto& touched = scratch.touched;
  short_postings.clear();
  positions.clear();
  for (std::size_t i = 0; i < n; ++i) {
    const FieldIndex& index = fields_[lists[i].field];
    if (index.doc_freq(lists[i].term) > kShortList) {
      positions.push_back(i);
      continue;
    }
    for (PostingCursor cursor(index, lists[i].term); cursor.doc() != PostingCursor::kEnd; cursor.next())
      short_postings.push_back({cursor.doc(), static_cast<std::uint32_t>(i), cursor.tf(), cursor.length()});
  }
  std::sort(short_postings.begin(), short_postings.end(), [](const ShortPosting& a, const ShortPosting& b) {
    return a.doc != b.doc ? a.doc < b.doc : a.list < b.list;
  });
  short_postings.push_back({PostingCursor::kEnd, 0, 0, 0});
  // Term scores are >= 0 (idf >= 0, tf weights >= 0), and multiplying by the same weight keeps
  // their order, so a list's weight × max weight is >= every term score in it.
  auto bound_of = [&](std::size_t i) { return lists[i].weight * fields_[lists[i].field].max_weight(lists[i].term); };
  std::sort(positions.begin(), positions.end(), [&](std::size_t a, std::size_t b) { return bound_of(a) < bound_of(b); });
  const std::size_t m = positions.size();
  cursors.clear();
  docs.clear();
  bounds.clear();
  bound_sums.clear();
  for (const std::size_t i : positions) {
    cursors.emplace_back(fields_[lists[i].field], lists[i].term);
    docs.push_back(cursors.back().doc());
    bounds.push_back(bound_of(i));
    bound_sums.push_back((bound_sums.empty() ? 0.0 : bound_sums.back()) + bounds.back());
  }
  block_bound_sums.resize(m);
  contributions.assign(n, 0.0);
  touched.clear();
  // Bounds are summed in other orders than scores, so each sum may be off by rounding: less
  // than n·eps relative for n non-negative terms. Widening bounds by this factor keeps them at
  // or above the score.
  const double widen = 1.0 + 4.0 * static_cast<double>(n + 1) * std::numeric_limits<double>::epsilon();
  auto add_term_score = [&](std::size_t i, std::uint32_t tf, std::uint32_t length, double& partial) {
    contributions[i] = term_score(lists[i], tf, length);
    partial += contributions[i];
    touched.push_back(i);
  };

  TopK top(k, documents_.id_ranks());
  // A head start for the k-th score: a document's term scores from the short lists, added in
  // list order, are a lower bound of its score (adding non-negative numbers in the same order
  // with more of them in between never gives less), so k documents reach at least the k-th of
  // those sums, and a document below it cannot make the top k.
  TopK head_start(k, documents_.id_ranks());
  for (const ShortPosting* at = short_postings.data(); at->doc != PostingCursor::kEnd;) {
    double lower_bound = 0.0;
    const std::uint32_t at_doc = at->doc;
    for (; at->doc == at_doc; ++at) lower_bound += term_score(lists[at->list], at->tf, at->length);
    head_start.offer(at_doc, lower_bound);
  }
  const double head_start_threshold = head_start.threshold();
  double threshold = head_start_threshold;
  std::size_t first_essential = 0;  // positions before it are non-essential
  while (first_essential < m && bound_sums[first_essential] * widen < threshold) ++first_essential;
  std::uint32_t block_bounds_until = 0;  // the last document block_bound_sums hold for
  bool block_bounds_stale = true;
  const ShortPosting* short_posting = short_postings.data();
  std::uint32_t doc = short_posting->doc;
  for (const std::uint32_t d : docs) doc = std::min(doc, d);
  while (doc != PostingCursor::kEnd) {
    double partial = 0.0;
    for (; short_posting->doc == doc; ++short_posting)
      add_term_score(short_posting->list, short_posting->tf, short_posting->length, partial);
    std::uint32_t next = short_posting->doc;
    for (std::size_t j = first_essential; j < m; ++j) {
      if (docs[j] == doc) {
        add_term_score(positions[j], cursors[j].tf(), cursors[j].length(), partial);
        cursors[j].next();
        docs[j] = cursors[j].doc();
      }
      next = std::min(next, docs[j]);
    }
    bool pruned = first_essential > 0 && (partial + bound_sums[first_essential - 1]) * widen < threshold;
    if (!pruned && first_essential > 0) {
      // block_bound_sums[j]: the bounds of non-essential lists 0..j from their blocks around
      // the document, which stay the same up to the first of those blocks' ends.
      if (block_bounds_stale || doc > block_bounds_until) {
        block_bounds_until = PostingCursor::kEnd;
        for (std::size_t j = 0; j < first_essential; ++j) {
          std::uint32_t until;
          block_bound_sums[j] = (j == 0 ? 0.0 : block_bound_sums[j - 1]) +
                                lists[positions[j]].weight * cursors[j].block_max_weight(doc, until);
          block_bounds_until = std::min(block_bounds_until, until);
        }
        block_bounds_stale = false;
      }
      for (std::size_t j = first_essential; j-- > 0;) {
        if ((partial + block_bound_sums[j]) * widen < threshold) {
          pruned = true;
          break;
        }
        cursors[j].next_geq(doc);
        docs[j] = cursors[j].doc();
        if (docs[j] == doc) add_term_score(positions[j], cursors[j].tf(), cursors[j].length(), partial);
      }
    }
    if (!pruned) {
      double score = 0.0;
      for (const double contribution : contributions) score += contribution;  // the exhaustive search's order
      if (top.offer(doc, score) && top.full()) {
        threshold = std::max(top.threshold(), head_start_threshold);
        while (first_essential < m && bound_sums[first_essential] * widen < threshold) {
          ++first_essential;
          block_bounds_stale = true;
        }
      }
    }
    for (const std::size_t i : touched) contributions[i] = 0.0;
    touched.clear();
    // Once every long list is non-essential, only the short lists' documents are left to score.
    doc = first_essential == m ? short_posting->doc : next;
  }
  return top.take_sorted();
}

}  // namespace steper::bm25
