// The on-disk index: one file per field (title.bm25, text.bm25) and one for the documents
// (documents.bm25). Every file starts with the same header, so a load checks each file against
// the corpus and settings it is asked for. All integers are little-endian, sections 8-aligned.
//
//   header      magic "STPBM25\0", format version, content, analyzer, BM25 parameters,
//               corpus size, corpus hash, payload size, payload checksum
//   field file  stats (terms T, documents with the field, total tokens, blocks B, block size),
//               term string offsets u64[T+1], posting offsets u64[T+1], block starts u64[T+1],
//               doc freqs u32[T], max weights f32[T], block last docs u32[B], block offsets
//               u32[B], block max weights f32[B], term strings (sorted, concatenated), postings
//   postings    per term, df triples of varints (doc gap, tf, the document's field length);
//               the first gap is the doc itself. The length rides along so that scoring never
//               looks a document up in a corpus-sized table: at millions of documents every
//               such lookup is a cache miss, which would cost more than the byte it saves.
//   blocks      each term's postings in blocks of kBlockSize (the last one shorter): the block's
//               last doc, the byte offset of its first posting from the term's first posting,
//               and the largest tf weight (scoring.hpp) in it, rounded up to a float; a term's
//               max weight is the largest of its blocks'. Search skips blocks with them.
//   documents   id rank u32[N]: each document's place in id order, for tie-breaking
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "plugin_support/mapped_file.hpp"

namespace steper::bm25 {

// 2: per-term and per-block max weights, block skip data and lengths in the postings, for
// dynamic pruning.
inline constexpr std::uint32_t kFormatVersion = 2;
inline constexpr std::uint32_t kBlockSize = 128;  // postings per block

// What an index was built for; a load refuses a file whose identity differs.
struct IndexIdentity {
  std::uint64_t corpus_size = 0;
  std::uint64_t corpus_hash = 0;
  std::string analyzer;
  std::string parameters;
};

// A field's index in memory, as the builder makes it.
struct FieldIndexData {
  std::uint64_t documents_with_field = 0;      // with a non-empty field
  std::uint64_t total_length = 0;              // tokens in all documents
  std::vector<std::string> terms;              // sorted
  std::vector<std::uint32_t> doc_freqs;        // per term
  std::vector<std::uint64_t> posting_offsets;  // per term, plus the end
  std::vector<float> max_weights;              // per term
  std::vector<std::uint64_t> block_starts;     // per term, plus the end: its first block
  std::vector<std::uint32_t> block_last_docs;  // per block
  std::vector<std::uint32_t> block_offsets;    // per block
  std::vector<float> block_max_weights;        // per block
  std::string postings;                        // the varint stream
};

// The blocks of one term's postings (see the file layout above).
struct TermBlocks {
  const std::uint32_t* last_docs;
  const std::uint32_t* offsets;
  const float* max_weights;
  std::uint64_t count;
};

inline constexpr std::size_t kMaxVarintBytes = 5;  // of a 32-bit value

// Writes `value` as a varint (7 bits a byte, low bits first) at `out`; returns the end.
inline unsigned char* write_varint(std::uint32_t value, unsigned char* out) {
  while (value >= 0x80) {
    *out++ = static_cast<unsigned char>((value & 0x7F) | 0x80);
    value >>= 7;
  }
  *out++ = static_cast<unsigned char>(value);
  return out;
}

// Decodes one varint at `p`; the caller guarantees the bytes are there (checked at load).
// Values are below 2^32 (doc ids, tfs, lengths).
inline const unsigned char* read_varint(const unsigned char* p, std::uint32_t& value) {
  std::uint32_t result = *p & 0x7F;
  int shift = 7;
  while (*p++ & 0x80) {
    result |= static_cast<std::uint32_t>(*p & 0x7F) << shift;
    shift += 7;
  }
  value = result;
  return p;
}

void write_field_file(const std::string& path, const IndexIdentity& identity, std::string_view field,
                      const FieldIndexData& data);
void write_documents_file(const std::string& path, const IndexIdentity& identity,
                          const std::vector<std::uint32_t>& id_ranks);

// A memory-mapped field file, checked against the identity on open.
class FieldIndex {
 public:
  FieldIndex() = default;
  FieldIndex(const std::string& path, const IndexIdentity& identity, std::string_view field);

  std::uint64_t documents_with_field() const { return documents_with_field_; }
  double average_length() const;
  std::uint64_t term_count() const { return term_count_; }
  std::uint64_t posting_count() const { return posting_count_; }
  std::size_t file_bytes() const { return file_.size(); }

  // The term's index, or -1 when the field does not contain it.
  std::int64_t find(std::string_view term) const;
  std::uint32_t doc_freq(std::uint64_t term) const { return doc_freqs_[term]; }
  const unsigned char* postings(std::uint64_t term) const { return postings_ + posting_offsets_[term]; }
  float max_weight(std::uint64_t term) const { return max_weights_[term]; }
  TermBlocks blocks(std::uint64_t term) const {
    const std::uint64_t first = block_starts_[term];
    return {block_last_docs_ + first, block_offsets_ + first, block_max_weights_ + first, block_starts_[term + 1] - first};
  }

 private:
  template <class Malformed>
  void check_postings(std::uint64_t term, std::uint64_t corpus_size, const Malformed& malformed) const;

  support::MappedFile file_;
  std::uint64_t term_count_ = 0, documents_with_field_ = 0, total_length_ = 0, posting_count_ = 0;
  const std::uint64_t* term_offsets_ = nullptr;
  const std::uint64_t* posting_offsets_ = nullptr;
  const std::uint64_t* block_starts_ = nullptr;
  const std::uint32_t* doc_freqs_ = nullptr;
  const float* max_weights_ = nullptr;
  const std::uint32_t* block_last_docs_ = nullptr;
  const std::uint32_t* block_offsets_ = nullptr;
  const float* block_max_weights_ = nullptr;
  const char* term_strings_ = nullptr;
  const unsigned char* postings_ = nullptr;
};

// The memory-mapped documents file.
class DocumentsIndex {
 public:
  DocumentsIndex() = default;
  DocumentsIndex(const std::string& path, const IndexIdentity& identity);
  const std::uint32_t* id_ranks() const { return id_ranks_; }

 private:
  support::MappedFile file_;
  const std::uint32_t* id_ranks_ = nullptr;
};

}  // namespace steper::bm25
