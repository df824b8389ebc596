#include "searcher.hpp"

#include <algorithm>
#include <map>

namespace steper::bm25 {

Searcher::Searcher(const std::string& dir, const IndexIdentity& identity, const Parameters& parameters)
    : parameters_(parameters), document_count_(identity.corpus_size), documents_(documents_file_path(dir), identity) {
  for (int field = 0; field < kFieldCount; ++field) {
    fields_[field] = FieldIndex(field_file_path(dir, field), identity, kFieldNames[field]);
    const double average = fields_[field].average_length();
    const std::uint32_t* lengths = fields_[field].doc_lengths();
    length_norms_[field].resize(document_count_);
    for (std::size_t doc = 0; doc < document_count_; ++doc)
      length_norms_[field][doc] = length_norm(parameters_, lengths[doc], average);
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

std::vector<RetrievalHit> Searcher::search(const std::vector<std::string>& terms, std::size_t k,
                                           SearchScratch& scratch) const {
  if (scratch.scores.size() != document_count_) {
    scratch.scores.assign(document_count_, 0.0);
    scratch.matched.assign(document_count_, 0);
  }
  std::map<std::string_view, int> occurrences;
  for (const auto& term : terms) ++occurrences[term];

  for (int field = 0; field < kFieldCount; ++field) {
    const FieldIndex& index = fields_[field];
    const double* norms = length_norms_[field].data();
    const double documents = static_cast<double>(index.documents_with_field());
    for (const auto& [term, count] : occurrences) {
      const std::int64_t id = index.find(term);
      if (id < 0) continue;
      const std::uint32_t df = index.doc_freq(id);
      const double weight = count * idf(parameters_, documents, df);
      const unsigned char* p = index.postings(id);
      std::uint32_t doc = 0;
      for (std::uint32_t i = 0; i < df; ++i) {
        std::uint32_t gap, tf;
        p = read_varint(p, gap);
        p = read_varint(p, tf);
        doc = i == 0 ? gap : doc + gap;
        scratch.scores[doc] += weight * tf_weight(parameters_, tf, norms[doc]);
        if (!scratch.matched[doc]) {
          scratch.matched[doc] = 1;
          scratch.matched_docs.push_back(doc);
        }
      }
    }
  }

  const std::uint32_t* id_ranks = documents_.id_ranks();
  const auto better = [&](const RetrievalHit& a, const RetrievalHit& b) {
    return a.score != b.score ? a.score > b.score : id_ranks[a.doc] < id_ranks[b.doc];
  };
  std::vector<RetrievalHit> hits;  // a heap whose front is the worst hit kept
  hits.reserve(std::min(k, scratch.matched_docs.size()) + 1);
  for (const std::uint32_t doc : scratch.matched_docs) {
    const RetrievalHit hit{doc, scratch.scores[doc]};
    scratch.scores[doc] = 0.0;
    scratch.matched[doc] = 0;
    if (hits.size() < k) {
      hits.push_back(hit);
      std::push_heap(hits.begin(), hits.end(), better);
    } else if (better(hit, hits.front())) {
      std::pop_heap(hits.begin(), hits.end(), better);
      hits.back() = hit;
      std::push_heap(hits.begin(), hits.end(), better);
    }
  }
  scratch.matched_docs.clear();
  std::sort_heap(hits.begin(), hits.end(), better);
  return hits;
}

}  // namespace steper::bm25
