// The on-disk index: one file per field (title.bm25, text.bm25) and one for the documents
// (documents.bm25). Every file starts with the same header, so a load checks each file against
// the corpus and settings it is asked for. All integers are little-endian, sections 8-aligned.
//
//   header      magic "STPBM25\0", format version, content, analyzer, BM25 parameters,
//               corpus size, corpus hash, payload size, payload checksum
//   field file  stats (terms T, documents with the field, total tokens), doc lengths u32[N],
//               term string offsets u64[T+1], posting offsets u64[T+1], doc freqs u32[T],
//               term strings (sorted, concatenated), postings
//   postings    per term, df pairs of varints (doc gap, tf); the first gap is the doc itself
//   documents   id rank u32[N]: each document's place in id order, for tie-breaking
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mapped_file.hpp"

namespace steper::bm25 {

inline constexpr std::uint32_t kFormatVersion = 1;

// What an index was built for; a load refuses a file whose identity differs.
struct IndexIdentity {
  std::uint64_t corpus_size = 0;
  std::uint64_t corpus_hash = 0;
  std::string analyzer;
  std::string parameters;
};

// A field's index in memory, as the builder makes it.
struct FieldIndexData {
  std::vector<std::uint32_t> doc_lengths;   // tokens per document
  std::vector<std::string> terms;           // sorted
  std::vector<std::uint32_t> doc_freqs;     // per term
  std::vector<std::uint64_t> posting_offsets;  // per term, plus the end
  std::string postings;                     // the varint stream
};

void append_varint(std::uint64_t value, std::string& out);

// Decodes one varint at `p`; the caller guarantees the bytes are there (the file checksum).
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
  const std::uint32_t* doc_lengths() const { return doc_lengths_; }
  std::uint64_t term_count() const { return term_count_; }
  std::uint64_t posting_count() const { return posting_count_; }
  std::size_t file_bytes() const { return file_.size(); }

  // The term's index, or -1 when the field does not contain it.
  std::int64_t find(std::string_view term) const;
  std::uint32_t doc_freq(std::uint64_t term) const { return doc_freqs_[term]; }
  const unsigned char* postings(std::uint64_t term) const { return postings_ + posting_offsets_[term]; }

 private:
  MappedFile file_;
  std::uint64_t term_count_ = 0, documents_with_field_ = 0, total_length_ = 0, posting_count_ = 0;
  const std::uint32_t* doc_lengths_ = nullptr;
  const std::uint64_t* term_offsets_ = nullptr;
  const std::uint64_t* posting_offsets_ = nullptr;
  const std::uint32_t* doc_freqs_ = nullptr;
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
  MappedFile file_;
  const std::uint32_t* id_ranks_ = nullptr;
};

}  // namespace steper::bm25
