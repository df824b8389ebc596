#include "range_indexer.hpp"

#include <algorithm>

namespace steper::bm25 {
namespace {

// A guess that spares the tables most of their growth without taking much memory for small
// corpora: a few new words a document at first, levelling off in the hundreds of thousands.
std::size_t expected_vocabulary(std::size_t documents) { return std::min<std::size_t>(1 << 18, 1024 + 4 * documents); }

}  // namespace

RangeIndexer::RangeIndexer(PartialIndex& partial, std::size_t documents)
    : partial_(partial), token_terms_(expected_vocabulary(documents)) {
  const std::size_t expected = expected_vocabulary(documents);
  partial_.terms = StringTable(expected);
  for (auto& postings : partial_.postings) postings.reserve(expected);
}

void RangeIndexer::add(std::uint32_t doc, int field, std::string_view text) {
  standard_tokens(text, tokens_);
  const std::size_t n = tokens_.size();
  keys_.resize(n);
  for (std::size_t i = 0; i < n; ++i) keys_[i] = StringTable::Key(tokens_[i]);
  // Token lookups beyond the frequent words miss the cache; a few in flight at once hide most of that.
  constexpr std::size_t kLookAhead = 8;
  for (std::size_t i = 0; i < std::min(n, kLookAhead); ++i) token_terms_.prefetch(keys_[i]);
  counter_.reset(n);
  Text& current = pipeline_[texts_ % 3];
  current.doc = doc;
  current.field = field;
  current.length = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (i + kLookAhead < n) token_terms_.prefetch(keys_[i + kLookAhead]);
    const std::uint32_t term = term_of(keys_[i]);
    if (term == kDropped) continue;
    ++current.length;
    counter_.add(term);
  }
  current.terms = counter_.counts();
  partial_.documents_with_field[field] += current.length > 0;
  partial_.total_length[field] += current.length;

  for (const TermCount& term : current.terms) __builtin_prefetch(&partial_.postings[field][term.term]);
  if (texts_ >= 1) {
    const Text& previous = pipeline_[(texts_ - 1) % 3];
    for (const TermCount& term : previous.terms) __builtin_prefetch(partial_.postings[previous.field][term.term].end());
  }
  if (texts_ >= 2) append(pipeline_[(texts_ - 2) % 3]);
  ++texts_;
}

void RangeIndexer::finish() {
  for (std::uint64_t text = texts_ < 2 ? 0 : texts_ - 2; text < texts_; ++text) append(pipeline_[text % 3]);
}

void RangeIndexer::append(const Text& text) {
  auto& postings = partial_.postings[text.field];
  for (const TermCount& term : text.terms) postings[term.term].add(text.doc, term.count, text.length);
}

// The local term id of a token, or kDropped. Tokens repeat (Zipf), so each distinct token goes
// through the filters (possessive, stop words, stemmer) once.
std::uint32_t RangeIndexer::term_of(const StringTable::Key& token) {
  if (const std::uint32_t* known = token_terms_.find(token)) return *known;
  term_.assign(token.text());
  std::uint32_t id = kDropped;
  if (analyzer_.filter(term_)) {
    const StringTable::Key term(term_);
    if (const std::uint32_t* known = partial_.terms.find(term)) {
      id = *known;
    } else {
      id = partial_.terms.insert(term, static_cast<std::uint32_t>(partial_.terms.size()));
      for (auto& postings : partial_.postings) postings.emplace_back();
    }
  }
  token_terms_.insert(token, id);
  return id;
}

}  // namespace steper::bm25
