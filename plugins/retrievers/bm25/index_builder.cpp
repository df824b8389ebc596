#include "index_builder.hpp"

#include <algorithm>
#include <cstring>
#include <mutex>
#include <numeric>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <utility>

#include "analyzer.hpp"

namespace steper::bm25 {
namespace {

struct Posting {
  std::uint32_t doc;
  std::uint32_t tf;
};

// What one thread indexes: a contiguous range of documents, with its own vocabulary.
struct PartialIndex {
  std::unordered_map<std::string, std::uint32_t> term_ids;
  std::vector<const std::string*> terms;  // by local id
  std::vector<std::vector<Posting>> postings[kFieldCount];  // [field][local id]
  std::vector<std::uint32_t> doc_lengths[kFieldCount];  // for the range only
};

void index_range(const Corpus& corpus, std::size_t begin, std::size_t end, PartialIndex& partial,
                 const std::function<void(std::size_t)>& advance, std::mutex& progress_mutex) {
  EnglishAnalyzer analyzer;
  // Tokens repeat (Zipf), so each distinct token is filtered once: token -> term id, or kDropped.
  constexpr std::uint32_t kDropped = UINT32_MAX;
  std::unordered_map<std::string, std::uint32_t> token_ids;
  constexpr std::size_t kExpectedVocabulary = 1 << 18;  // sizes the tables once instead of rehashing as they grow
  token_ids.reserve(kExpectedVocabulary);
  partial.term_ids.reserve(kExpectedVocabulary);
  std::vector<std::uint32_t> ids;
  constexpr std::size_t kProgressEvery = 4096;
  for (std::size_t doc = begin; doc < end; ++doc) {
    for (int field = 0; field < kFieldCount; ++field) {
      const std::string& text = field == 0 ? corpus[doc].title : corpus[doc].text;
      ids.clear();
      for (auto& token : standard_tokens(text)) {
        auto cached = token_ids.find(token);
        if (cached == token_ids.end()) {
          std::string term = token;
          std::uint32_t id = kDropped;
          if (analyzer.filter(term)) {
            const auto [it, inserted] = partial.term_ids.try_emplace(std::move(term), static_cast<std::uint32_t>(partial.terms.size()));
            if (inserted) partial.terms.push_back(&it->first);
            id = it->second;
          }
          cached = token_ids.emplace(std::move(token), id).first;
        }
        if (cached->second != kDropped) ids.push_back(cached->second);
      }
      partial.doc_lengths[field].push_back(static_cast<std::uint32_t>(ids.size()));
      auto& postings = partial.postings[field];
      if (postings.size() < partial.terms.size()) postings.resize(partial.terms.size());
      std::sort(ids.begin(), ids.end());
      for (std::size_t i = 0; i < ids.size();) {
        std::size_t j = i;
        while (j < ids.size() && ids[j] == ids[i]) ++j;
        postings[ids[i]].push_back({static_cast<std::uint32_t>(doc), static_cast<std::uint32_t>(j - i)});
        i = j;
      }
    }
    if (advance && (doc - begin + 1) % kProgressEvery == 0) {
      std::lock_guard<std::mutex> lock(progress_mutex);
      advance(kProgressEvery);
    }
  }
  for (auto& postings : partial.postings) postings.resize(partial.terms.size());
  if (advance) {
    std::lock_guard<std::mutex> lock(progress_mutex);
    advance((end - begin) % kProgressEvery);
  }
}

// Merges the partial indexes (ascending document ranges) into one field's sorted index.
FieldIndexData merge_field(const std::vector<PartialIndex>& partials, int field,
                           const std::vector<std::string>& vocabulary) {
  FieldIndexData data;
  for (const auto& partial : partials)
    data.doc_lengths.insert(data.doc_lengths.end(), partial.doc_lengths[field].begin(), partial.doc_lengths[field].end());
  for (const auto& term : vocabulary) {
    const std::size_t start = data.postings.size();
    std::uint32_t df = 0, previous = 0;
    for (const auto& partial : partials) {
      const auto it = partial.term_ids.find(term);
      if (it == partial.term_ids.end()) continue;
      for (const Posting& posting : partial.postings[field][it->second]) {
        append_varint(df == 0 ? posting.doc : posting.doc - previous, data.postings);
        append_varint(posting.tf, data.postings);
        previous = posting.doc;
        ++df;
      }
    }
    if (df == 0) continue;  // the term occurs only in the other field
    data.terms.push_back(term);
    data.doc_freqs.push_back(df);
    data.posting_offsets.push_back(start);
  }
  data.posting_offsets.push_back(data.postings.size());
  return data;
}

std::uint64_t hash_bytes(std::uint64_t hash, std::string_view bytes) {
  constexpr std::uint64_t kPrime = 0x100000001B3ull;
  std::size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, bytes.data() + i, 8);
    hash = (hash ^ word) * kPrime;
    hash ^= hash >> 31;
  }
  for (; i < bytes.size(); ++i) hash = (hash ^ static_cast<unsigned char>(bytes[i])) * kPrime;
  return (hash ^ bytes.size()) * kPrime;  // the length separates fields
}

}  // namespace

std::string field_file_path(const std::string& dir, int field) { return dir + "/" + kFieldNames[field] + ".bm25"; }
std::string documents_file_path(const std::string& dir) { return dir + "/documents.bm25"; }

std::uint64_t corpus_hash(const Corpus& corpus) {
  std::uint64_t hash = 0xCBF29CE484222325ull;
  for (const auto& paragraph : corpus.paragraphs()) {
    hash = hash_bytes(hash, paragraph.id);
    hash = hash_bytes(hash, paragraph.title);
    hash = hash_bytes(hash, paragraph.text);
  }
  return hash;
}

BuiltIndex build_index(const Corpus& corpus, int threads, const std::function<void(std::size_t)>& advance) {
  if (corpus.size() > UINT32_MAX) throw std::runtime_error("bm25: the corpus has more than 2^32 - 1 paragraphs");
  const std::size_t thread_count = std::max<std::size_t>(1, std::min<std::size_t>(threads, corpus.size() / 1024 + 1));
  std::vector<PartialIndex> partials(thread_count);
  std::mutex progress_mutex;
  {
    std::vector<std::thread> workers;
    std::vector<std::exception_ptr> errors(thread_count);
    for (std::size_t t = 0; t < thread_count; ++t)
      workers.emplace_back([&, t] {
        try {
          index_range(corpus, corpus.size() * t / thread_count, corpus.size() * (t + 1) / thread_count, partials[t],
                      advance, progress_mutex);
        } catch (...) {
          errors[t] = std::current_exception();
        }
      });
    for (auto& worker : workers) worker.join();
    for (const auto& error : errors)
      if (error) std::rethrow_exception(error);
  }
  std::vector<std::string> vocabulary;
  for (const auto& partial : partials)
    for (const auto* term : partial.terms) vocabulary.push_back(*term);
  std::sort(vocabulary.begin(), vocabulary.end());
  vocabulary.erase(std::unique(vocabulary.begin(), vocabulary.end()), vocabulary.end());

  BuiltIndex index;
  std::thread title_merge([&] { index.fields[0] = merge_field(partials, 0, vocabulary); });
  index.fields[1] = merge_field(partials, 1, vocabulary);
  title_merge.join();

  std::vector<std::uint32_t> by_id(corpus.size());
  std::iota(by_id.begin(), by_id.end(), 0u);
  std::sort(by_id.begin(), by_id.end(), [&](std::uint32_t a, std::uint32_t b) { return corpus[a].id < corpus[b].id; });
  index.id_ranks.resize(corpus.size());
  for (std::size_t rank = 0; rank < by_id.size(); ++rank) index.id_ranks[by_id[rank]] = static_cast<std::uint32_t>(rank);
  return index;
}

void write_index(const std::string& dir, const IndexIdentity& identity, const BuiltIndex& index) {
  for (int field = 0; field < kFieldCount; ++field)
    write_field_file(field_file_path(dir, field), identity, kFieldNames[field], index.fields[field]);
  write_documents_file(documents_file_path(dir), identity, index.id_ranks);
}

}  // namespace steper::bm25
