#include "index_file.hpp"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "scoring.hpp"

namespace steper::bm25 {
namespace {

constexpr char kMagic[8] = {'S', 'T', 'P', 'B', 'M', '2', '5', '\0'};

struct RawHeader {
  char magic[8];
  std::uint32_t format_version;
  std::uint32_t reserved;
  std::uint64_t corpus_size;
  std::uint64_t corpus_hash;
  std::uint64_t payload_bytes;
  std::uint64_t payload_checksum;
  char content[24];
  char analyzer[40];
  char parameters[120];
};
static_assert(sizeof(RawHeader) % 8 == 0);

struct RawFieldStats {
  std::uint64_t term_count;
  std::uint64_t documents_with_field;
  std::uint64_t total_length;
  std::uint64_t term_strings_bytes;
  std::uint64_t postings_bytes;
  std::uint64_t block_count;
  std::uint64_t block_size;
};

// A 64-bit hash of 8-byte words in four independent lanes (fast enough to check GBs on load),
// fed in pieces of any size.
class Checksum {
 public:
  void add(const unsigned char* data, std::size_t size) {
    if (size == 0) return;  // an empty section's data may be null, which memcpy may not take
    total_ += size;
    if (pending_size_ > 0) {
      const std::size_t taken = std::min(size, sizeof pending_ - pending_size_);
      std::memcpy(pending_ + pending_size_, data, taken);
      pending_size_ += taken;
      data += taken;
      size -= taken;
      if (pending_size_ < sizeof pending_) return;
      mix(pending_);
      pending_size_ = 0;
    }
    for (; size >= sizeof pending_; data += sizeof pending_, size -= sizeof pending_) mix(data);
    std::memcpy(pending_, data, size);
    pending_size_ = size;
  }
  std::uint64_t finish() const {
    std::uint64_t hash = total_;
    for (std::size_t i = 0; i < pending_size_; ++i) hash = (hash ^ pending_[i]) * kPrime;
    for (const auto lane : lanes_) hash = (hash ^ lane) * kPrime;
    return hash ^ (hash >> 32);
  }

 private:
  static constexpr std::uint64_t kPrime = 0x9E3779B97F4A7C15ull;
  void mix(const unsigned char* chunk) {
    for (int lane = 0; lane < 4; ++lane) {
      std::uint64_t word;
      std::memcpy(&word, chunk + 8 * lane, 8);
      lanes_[lane] = (lanes_[lane] ^ word) * kPrime;
      lanes_[lane] ^= lanes_[lane] >> 29;
    }
  }
  std::uint64_t lanes_[4] = {1, 2, 3, 4};
  unsigned char pending_[32];
  std::size_t pending_size_ = 0;
  std::uint64_t total_ = 0;
};

void copy_text(char* destination, std::size_t capacity, std::string_view text, const char* what) {
  if (text.size() >= capacity)
    throw std::logic_error(std::string("bm25: the ") + what + " '" + std::string(text) + "' does not fit the index header");
  std::memset(destination, 0, capacity);
  std::memcpy(destination, text.data(), text.size());
}

std::string read_text(const char* source, std::size_t capacity) { return std::string(source, strnlen(source, capacity)); }

// Writes an index file: the header, then the payload streamed section by section, then the
// header again with the payload's size and checksum.
class IndexFileWriter {
 public:
  IndexFileWriter(const std::string& path, const IndexIdentity& identity, std::string_view content)
      : path_(path), out_(path, std::ios::binary | std::ios::trunc) {
    std::memcpy(header_.magic, kMagic, sizeof kMagic);
    header_.format_version = kFormatVersion;
    header_.corpus_size = identity.corpus_size;
    header_.corpus_hash = identity.corpus_hash;
    copy_text(header_.content, sizeof header_.content, content, "content name");
    copy_text(header_.analyzer, sizeof header_.analyzer, identity.analyzer, "analyzer name");
    copy_text(header_.parameters, sizeof header_.parameters, identity.parameters, "parameters");
    out_.write(reinterpret_cast<const char*>(&header_), sizeof header_);
  }

  void append(const void* data, std::size_t bytes) {
    checksum_.add(static_cast<const unsigned char*>(data), bytes);
    out_.write(static_cast<const char*>(data), static_cast<std::streamsize>(bytes));
    header_.payload_bytes += bytes;
  }
  // Appends the bytes and pads the section to a multiple of 8.
  void section(const void* data, std::size_t bytes) {
    append(data, bytes);
    static constexpr char kZeros[8] = {};
    append(kZeros, (8 - header_.payload_bytes % 8) % 8);
  }
  template <class T>
  void section(const std::vector<T>& values) {
    section(values.data(), values.size() * sizeof(T));
  }

  void finish() {
    header_.payload_checksum = checksum_.finish();
    out_.seekp(0);
    out_.write(reinterpret_cast<const char*>(&header_), sizeof header_);
    out_.close();
    if (!out_) throw std::runtime_error("bm25: cannot write the index file '" + path_ + "'");
  }

 private:
  std::string path_;
  std::ofstream out_;
  RawHeader header_{};
  Checksum checksum_;
};

support::MappedFile map_index_file(const std::string& path) {
  try {
    return support::MappedFile(path);
  } catch (const support::MappedFileError& e) {
    throw std::runtime_error("bm25: cannot open the index file '" + path + "': " + e.reason());
  }
}

// Checks the header against the identity and the payload against its checksum; returns the payload.
const unsigned char* open_payload(const support::MappedFile& file, const IndexIdentity& identity, std::string_view content,
                                  std::size_t& payload_bytes) {
  auto fail = [&](const std::string& what) {
    return std::runtime_error("bm25: index file '" + file.path().string() + "' " + what +
                              "; delete the index folder to rebuild it");
  };
  if (file.size() < sizeof(RawHeader))
    throw fail("is truncated: " + std::to_string(file.size()) + " bytes, shorter than its " +
               std::to_string(sizeof(RawHeader)) + "-byte header");
  RawHeader header;
  std::memcpy(&header, file.data(), sizeof header);
  if (std::memcmp(header.magic, kMagic, sizeof kMagic) != 0) throw fail("is not a bm25 index (bad magic bytes)");
  if (header.format_version != kFormatVersion)
    throw fail("has format version " + std::to_string(header.format_version) + ", expected " +
               std::to_string(kFormatVersion));
  auto expect = [&](const char* what, const std::string& found, const std::string& expected) {
    if (found != expected) throw fail("holds " + std::string(what) + " '" + found + "', expected '" + expected + "'");
  };
  expect("content", read_text(header.content, sizeof header.content), std::string(content));
  expect("analyzer", read_text(header.analyzer, sizeof header.analyzer), identity.analyzer);
  expect("parameters", read_text(header.parameters, sizeof header.parameters), identity.parameters);
  if (header.corpus_size != identity.corpus_size)
    throw fail("indexes " + std::to_string(header.corpus_size) + " paragraphs, but the corpus has " +
               std::to_string(identity.corpus_size));
  if (header.corpus_hash != identity.corpus_hash)
    throw fail("was built for another corpus of the same size (corpus hash differs)");
  if (file.size() != sizeof header + header.payload_bytes)
    throw fail("is truncated or padded: " + std::to_string(file.size()) + " bytes, expected " +
               std::to_string(sizeof header + header.payload_bytes));
  const auto* payload = reinterpret_cast<const unsigned char*>(file.data()) + sizeof header;
  Checksum checksum;
  checksum.add(payload, header.payload_bytes);
  if (checksum.finish() != header.payload_checksum) throw fail("is corrupt (checksum mismatch)");
  payload_bytes = header.payload_bytes;
  return payload;
}

// Decodes one varint that ends before `end` and fits 32 bits; nullptr when it does not.
const unsigned char* read_varint_within(const unsigned char* p, const unsigned char* end, std::uint32_t& value) {
  std::uint64_t result = 0;
  for (int shift = 0; p < end && shift < 7 * static_cast<int>(kMaxVarintBytes); shift += 7) {
    const unsigned char byte = *p++;
    result |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) {
      if (result > UINT32_MAX) return nullptr;
      value = static_cast<std::uint32_t>(result);
      return p;
    }
  }
  return nullptr;
}

}  // namespace

void write_field_file(const std::string& path, const IndexIdentity& identity, std::string_view field,
                      const FieldIndexData& data) {
  std::vector<std::uint64_t> term_offsets{0};
  std::string term_strings;
  for (const auto& term : data.terms) {
    term_strings += term;
    term_offsets.push_back(term_strings.size());
  }
  const RawFieldStats stats{data.terms.size(),    data.documents_with_field, data.total_length,
                            term_strings.size(),  data.postings.size(),      data.block_last_docs.size(),
                            kBlockSize};
  IndexFileWriter writer(path, identity, std::string("field:") + std::string(field));
  writer.section(&stats, sizeof stats);
  writer.section(term_offsets);
  writer.section(data.posting_offsets);
  writer.section(data.block_starts);
  writer.section(data.doc_freqs);
  writer.section(data.max_weights);
  writer.section(data.block_last_docs);
  writer.section(data.block_offsets);
  writer.section(data.block_max_weights);
  writer.section(term_strings.data(), term_strings.size());
  writer.section(data.postings.data(), data.postings.size());
  writer.finish();
}

void write_documents_file(const std::string& path, const IndexIdentity& identity,
                          const std::vector<std::uint32_t>& id_ranks) {
  IndexFileWriter writer(path, identity, "documents");
  writer.section(id_ranks);
  writer.finish();
}

FieldIndex::FieldIndex(const std::string& path, const IndexIdentity& identity, std::string_view field)
    : file_(map_index_file(path)) {
  std::size_t size = 0;
  const unsigned char* payload = open_payload(file_, identity, std::string("field:") + std::string(field), size);
  auto fail = [&](const std::string& what) {
    return std::runtime_error("bm25: index file '" + path + "' " + what + "; delete the index folder to rebuild it");
  };
  std::size_t at = 0;
  auto section = [&](std::size_t bytes, const char* name) {
    const std::size_t start = at;
    at += (bytes + 7) / 8 * 8;
    if (at > size) throw fail("is malformed: its " + std::string(name) + " section ends past the end of the file");
    return payload + start;
  };
  RawFieldStats stats;
  std::memcpy(&stats, section(sizeof stats, "stats"), sizeof stats);
  if (stats.block_size != kBlockSize)
    throw fail("has blocks of " + std::to_string(stats.block_size) + " postings, expected " + std::to_string(kBlockSize));
  term_count_ = stats.term_count;
  documents_with_field_ = stats.documents_with_field;
  total_length_ = stats.total_length;
  const std::uint64_t terms = term_count_, blocks = stats.block_count;
  if (terms > size / 8 || blocks > size / 4 || stats.term_strings_bytes > size || stats.postings_bytes > size)
    throw fail("is malformed: it declares more terms, blocks or bytes than the file holds");
  term_offsets_ = reinterpret_cast<const std::uint64_t*>(section(8 * (terms + 1), "term offsets"));
  posting_offsets_ = reinterpret_cast<const std::uint64_t*>(section(8 * (terms + 1), "posting offsets"));
  block_starts_ = reinterpret_cast<const std::uint64_t*>(section(8 * (terms + 1), "block starts"));
  doc_freqs_ = reinterpret_cast<const std::uint32_t*>(section(4 * terms, "doc freqs"));
  max_weights_ = reinterpret_cast<const float*>(section(4 * terms, "max weights"));
  block_last_docs_ = reinterpret_cast<const std::uint32_t*>(section(4 * blocks, "block last docs"));
  block_offsets_ = reinterpret_cast<const std::uint32_t*>(section(4 * blocks, "block offsets"));
  block_max_weights_ = reinterpret_cast<const float*>(section(4 * blocks, "block max weights"));
  term_strings_ = reinterpret_cast<const char*>(section(stats.term_strings_bytes, "term strings"));
  postings_ = section(stats.postings_bytes, "postings");
  if (term_offsets_[terms] != stats.term_strings_bytes || posting_offsets_[terms] != stats.postings_bytes ||
      block_starts_[0] != 0 || block_starts_[terms] != blocks)
    throw fail("is malformed: its offsets do not match its section sizes");
  // Offsets are trusted by every search once loaded, so each is checked here, once: the
  // checksum only says the file is the one written, not that a writer wrote it well.
  for (std::uint64_t term = 0; term < terms; ++term) {
    const auto malformed = [&](const std::string& what) {
      return fail("is malformed: term " + std::to_string(term) + " " + what);
    };
    posting_count_ += doc_freqs_[term];
    if (term_offsets_[term] > term_offsets_[term + 1] || posting_offsets_[term] > posting_offsets_[term + 1] ||
        block_starts_[term] > block_starts_[term + 1])
      throw malformed("has offsets that decrease");
    if (block_starts_[term + 1] - block_starts_[term] != (doc_freqs_[term] + kBlockSize - 1) / kBlockSize)
      throw malformed("has " + std::to_string(block_starts_[term + 1] - block_starts_[term]) + " blocks for " +
                      std::to_string(doc_freqs_[term]) + " postings");
    const std::uint64_t bytes = posting_offsets_[term + 1] - posting_offsets_[term];
    for (std::uint64_t block = block_starts_[term]; block < block_starts_[term + 1]; ++block)
      if (block_offsets_[block] >= bytes || block_last_docs_[block] >= identity.corpus_size ||
          (block > block_starts_[term] && block_last_docs_[block] <= block_last_docs_[block - 1]))
        throw malformed("has block " + std::to_string(block) + " outside its postings or its paragraphs");
  }
  for (std::uint64_t term = 0; term < terms; ++term)
    check_postings(term, identity.corpus_size, [&](const std::string& what) {
      return fail("is malformed: term " + std::to_string(term) + " " + what);
    });
}

// Searches decode postings without bounds checks, so each is decoded once here: every varint
// ends inside its term's bytes, documents rise and stay inside the corpus, and every block
// starts at its offset and ends at its last document. One pass, like the checksum's.
template <class Malformed>
void FieldIndex::check_postings(std::uint64_t term, std::uint64_t corpus_size, const Malformed& malformed) const {
  const unsigned char* const start = postings_ + posting_offsets_[term];
  const unsigned char* const end = postings_ + posting_offsets_[term + 1];
  const unsigned char* p = start;
  std::uint64_t doc = 0;
  for (std::uint32_t i = 0; i < doc_freqs_[term]; ++i) {
    const std::uint64_t block = block_starts_[term] + i / kBlockSize;
    if (i % kBlockSize == 0 && static_cast<std::uint64_t>(p - start) != block_offsets_[block])
      throw malformed("has block " + std::to_string(block) + " starting at byte " + std::to_string(block_offsets_[block]) +
                      " where its postings put it at " + std::to_string(p - start));
    std::uint32_t gap = 0, tf = 0, length = 0;
    if ((p = read_varint_within(p, end, gap)) == nullptr || (p = read_varint_within(p, end, tf)) == nullptr ||
        (p = read_varint_within(p, end, length)) == nullptr)
      throw malformed("has posting " + std::to_string(i) + " cut short or overlong");
    if (i > 0 && gap == 0) throw malformed("has posting " + std::to_string(i) + " repeating its document");
    doc += gap;
    if (doc >= corpus_size)
      throw malformed("has posting " + std::to_string(i) + " naming paragraph " + std::to_string(doc) + " of " +
                      std::to_string(corpus_size));
    if ((i % kBlockSize == kBlockSize - 1 || i + 1 == doc_freqs_[term]) && doc != block_last_docs_[block])
      throw malformed("has block " + std::to_string(block) + " whose postings end at another document than its last");
  }
  if (p != end) throw malformed("has bytes after its last posting");
}

double FieldIndex::average_length() const { return bm25::average_length(total_length_, documents_with_field_); }

std::int64_t FieldIndex::find(std::string_view term) const {
  std::uint64_t low = 0, high = term_count_;
  while (low < high) {
    const std::uint64_t middle = (low + high) / 2;
    const std::string_view candidate(term_strings_ + term_offsets_[middle], term_offsets_[middle + 1] - term_offsets_[middle]);
    if (candidate < term) low = middle + 1;
    else high = middle;
  }
  if (low == term_count_) return -1;
  const std::string_view found(term_strings_ + term_offsets_[low], term_offsets_[low + 1] - term_offsets_[low]);
  return found == term ? static_cast<std::int64_t>(low) : -1;
}

DocumentsIndex::DocumentsIndex(const std::string& path, const IndexIdentity& identity)
    : file_(map_index_file(path)) {
  std::size_t size = 0;
  const unsigned char* payload = open_payload(file_, identity, "documents", size);
  if (size < 4 * identity.corpus_size)
    throw std::runtime_error("bm25: index file '" + path + "' is malformed: it has fewer id ranks than paragraphs");
  id_ranks_ = reinterpret_cast<const std::uint32_t*>(payload);
}

}  // namespace steper::bm25
