#include "index_builder.hpp"

#include <algorithm>
#include <cstring>
#include <mutex>
#include <numeric>
#include <stdexcept>
#include <utility>

#include "field_merge.hpp"
#include "parallel.hpp"
#include "partial_index.hpp"
#include "range_indexer.hpp"

namespace steper::bm25 {
namespace {

void index_range(const Corpus& corpus, std::size_t begin, std::size_t end, PartialIndex& partial,
                 const std::function<void(std::size_t)>& advance, std::mutex& progress_mutex) {
  RangeIndexer indexer(partial, end - begin);
  constexpr std::size_t kProgressEvery = 4096;
  for (std::size_t doc = begin; doc < end; ++doc) {
    indexer.add(static_cast<std::uint32_t>(doc), 0, corpus[doc].title);
    indexer.add(static_cast<std::uint32_t>(doc), 1, corpus[doc].text);
    if (advance && (doc - begin + 1) % kProgressEvery == 0) {
      std::lock_guard<std::mutex> lock(progress_mutex);
      advance(kProgressEvery);
    }
  }
  indexer.finish();
  if (advance) {
    std::lock_guard<std::mutex> lock(progress_mutex);
    advance((end - begin) % kProgressEvery);
  }
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

BuiltIndex build_index(const Corpus& corpus, const Parameters& parameters, int threads,
                       const std::function<void(std::size_t)>& advance) {
  if (corpus.size() >= UINT32_MAX)
    throw std::runtime_error("bm25: the corpus has " + std::to_string(corpus.size()) +
                             " paragraphs, more than the index's limit of " + std::to_string(UINT32_MAX - 1));
  // At least 1024 paragraphs a thread, so small corpora are not split for nothing.
  const std::size_t range_count = std::max<std::size_t>(1, std::min<std::size_t>(threads, corpus.size() / 1024 + 1));
  std::vector<PartialIndex> partials(range_count);
  std::mutex progress_mutex;
  parallel_for(range_count, static_cast<int>(range_count), [&](std::size_t range) {
    index_range(corpus, corpus.size() * range / range_count, corpus.size() * (range + 1) / range_count,
                partials[range], advance, progress_mutex);
  });
  const Vocabulary vocabulary = merge_vocabularies(partials);
  BuiltIndex index;
  for (int field = 0; field < kFieldCount; ++field)
    index.fields[field] = merge_field(partials, vocabulary, field, parameters, threads);

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
