#include "searcher.hpp"

#include <map>
#include <stdexcept>
#include <string_view>

#include "top_k.hpp"

namespace steper::bm25 {

Searcher::Searcher(const std::string& dir, const IndexIdentity& identity, const Parameters& parameters)
    : parameters_(parameters), document_count_(identity.corpus_size) {
  if (identity.parameters != parameters.describe())
    throw std::logic_error("bm25: a searcher for the parameters '" + parameters.describe() +
                           "' was asked to load an index identified by '" + identity.parameters + "'");
  documents_ = DocumentsIndex(documents_file_path(dir), identity);
  for (int field = 0; field < kFieldCount; ++field) {
    fields_[field] = FieldIndex(field_file_path(dir, field), identity, kFieldNames[field]);
    average_lengths_[field] = fields_[field].average_length();
    for (std::uint32_t length = 0; length < kNormTableSize; ++length)
      norm_tables_[field].push_back(length_norm(parameters_, length, average_lengths_[field]));
  }
}

std::uint64_t Searcher::posting_count() const {
  std::uint64_t count = 0;
  for (const auto& field : fields_) count += field.posting_count();
  return count;
}

std::size_t Searcher::index_bytes() const {
  std::size_t bytes = 0;
  for (const auto& field : fields_) bytes += field.file_bytes();
  return bytes + 4 * document_count_;
}

std::vector<QueryList> Searcher::query_lists(const std::vector<std::string>& terms) const {
  std::map<std::string_view, int> occurrences;
  for (const auto& term : terms) ++occurrences[term];
  std::vector<QueryList> lists;
  for (int field = 0; field < kFieldCount; ++field) {
    const FieldIndex& index = fields_[field];
    const double documents = static_cast<double>(index.documents_with_field());
    for (const auto& [term, count] : occurrences) {
      const std::int64_t id = index.find(term);
      if (id >= 0) lists.push_back({field, static_cast<std::uint64_t>(id), count * idf(parameters_, documents, index.doc_freq(id))});
    }
  }
  return lists;
}

std::vector<RetrievalHit> Searcher::search_exhaustive(const std::vector<std::string>& terms, std::size_t k,
                                                      SearchScratch& scratch) const {
  if (scratch.scores.size() != document_count_) {
    scratch.scores.assign(document_count_, 0.0);
    scratch.matched.assign(document_count_, 0);
  }
  for (const QueryList& list : query_lists(terms)) {
    const FieldIndex& index = fields_[list.field];
    const std::uint32_t df = index.doc_freq(list.term);
    const unsigned char* p = index.postings(list.term);
    std::uint32_t doc = 0;
    for (std::uint32_t i = 0; i < df; ++i) {
      std::uint32_t gap, tf, length;
      p = read_varint(p, gap);
      p = read_varint(p, tf);
      p = read_varint(p, length);
      doc += gap;
      scratch.scores[doc] += term_score(list, tf, length);
      if (!scratch.matched[doc]) {
        scratch.matched[doc] = 1;
        scratch.matched_docs.push_back(doc);
      }
    }
  }
  TopK top(k, documents_.id_ranks());
  for (const std::uint32_t doc : scratch.matched_docs) {
    top.offer(doc, scratch.scores[doc]);
    scratch.scores[doc] = 0.0;
    scratch.matched[doc] = 0;
  }
  scratch.matched_docs.clear();
  return top.take_sorted();
}

}  // namespace steper::bm25
