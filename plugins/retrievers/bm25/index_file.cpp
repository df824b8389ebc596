#include "index_file.hpp"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <stdexcept>

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
};

// A 64-bit hash of 8-byte words in four independent lanes (fast enough to check GBs on load).
std::uint64_t checksum(const unsigned char* data, std::size_t size) {
  constexpr std::uint64_t kPrime = 0x9E3779B97F4A7C15ull;
  std::uint64_t lanes[4] = {1, 2, 3, 4};
  std::size_t i = 0;
  for (; i + 32 <= size; i += 32)
    for (int lane = 0; lane < 4; ++lane) {
      std::uint64_t word;
      std::memcpy(&word, data + i + 8 * lane, 8);
      lanes[lane] = (lanes[lane] ^ word) * kPrime;
      lanes[lane] ^= lanes[lane] >> 29;
    }
  std::uint64_t hash = size;
  for (; i < size; ++i) hash = (hash ^ data[i]) * kPrime;
  for (const auto lane : lanes) hash = (hash ^ lane) * kPrime;
  return hash ^ (hash >> 32);
}

void copy_text(char* destination, std::size_t capacity, std::string_view text, const char* what) {
  if (text.size() >= capacity)
    throw std::logic_error(std::string("bm25: the ") + what + " '" + std::string(text) + "' does not fit the index header");
  std::memset(destination, 0, capacity);
  std::memcpy(destination, text.data(), text.size());
}

std::string read_text(const char* source, std::size_t capacity) { return std::string(source, strnlen(source, capacity)); }

template <class T>
void append_array(const std::vector<T>& values, std::string& out) {
  out.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
  out.resize((out.size() + 7) / 8 * 8, '\0');
}

template <class T>
void append_value(const T& value, std::string& out) {
  out.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

void write_file(const std::string& path, const IndexIdentity& identity, std::string_view content, std::string payload) {
  payload.resize((payload.size() + 7) / 8 * 8, '\0');
  RawHeader header{};
  std::memcpy(header.magic, kMagic, sizeof kMagic);
  header.format_version = kFormatVersion;
  header.corpus_size = identity.corpus_size;
  header.corpus_hash = identity.corpus_hash;
  header.payload_bytes = payload.size();
  header.payload_checksum = checksum(reinterpret_cast<const unsigned char*>(payload.data()), payload.size());
  copy_text(header.content, sizeof header.content, content, "content name");
  copy_text(header.analyzer, sizeof header.analyzer, identity.analyzer, "analyzer name");
  copy_text(header.parameters, sizeof header.parameters, identity.parameters, "parameters");
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(&header), sizeof header);
  out.write(payload.data(), static_cast<std::streamsize>(payload.size()));
  out.close();
  if (!out) throw std::runtime_error("bm25: cannot write the index file '" + path + "'");
}

// Checks the header against the identity and the payload against its checksum; returns the payload.
const unsigned char* open_payload(const MappedFile& file, const IndexIdentity& identity, std::string_view content,
                                  std::size_t& payload_bytes) {
  auto fail = [&](const std::string& what) {
    return std::runtime_error("bm25: index file '" + file.path() + "' " + what +
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
  const unsigned char* payload = file.data() + sizeof header;
  if (checksum(payload, header.payload_bytes) != header.payload_checksum) throw fail("is corrupt (checksum mismatch)");
  payload_bytes = header.payload_bytes;
  return payload;
}

}  // namespace

void append_varint(std::uint64_t value, std::string& out) {
  while (value >= 0x80) {
    out += static_cast<char>((value & 0x7F) | 0x80);
    value >>= 7;
  }
  out += static_cast<char>(value);
}

void write_field_file(const std::string& path, const IndexIdentity& identity, std::string_view field,
                      const FieldIndexData& data) {
  std::vector<std::uint64_t> term_offsets{0};
  std::string term_strings;
  for (const auto& term : data.terms) {
    term_strings += term;
    term_offsets.push_back(term_strings.size());
  }
  std::uint64_t documents_with_field = 0, total_length = 0;
  for (const auto length : data.doc_lengths) {
    documents_with_field += length > 0;
    total_length += length;
  }
  const RawFieldStats stats{data.terms.size(), documents_with_field, total_length, term_strings.size(),
                            data.postings.size()};
  std::string payload;
  payload.reserve(data.postings.size() + term_strings.size() + 24 * data.terms.size() + 4 * data.doc_lengths.size() + 256);
  append_value(stats, payload);
  append_array(data.doc_lengths, payload);
  append_array(term_offsets, payload);
  append_array(data.posting_offsets, payload);
  append_array(data.doc_freqs, payload);
  payload += term_strings;
  payload.resize((payload.size() + 7) / 8 * 8, '\0');
  payload += data.postings;
  write_file(path, identity, std::string("field:") + std::string(field), std::move(payload));
}

void write_documents_file(const std::string& path, const IndexIdentity& identity,
                          const std::vector<std::uint32_t>& id_ranks) {
  std::string payload;
  append_array(id_ranks, payload);
  write_file(path, identity, "documents", std::move(payload));
}

FieldIndex::FieldIndex(const std::string& path, const IndexIdentity& identity, std::string_view field)
    : file_(path) {
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
  term_count_ = stats.term_count;
  documents_with_field_ = stats.documents_with_field;
  total_length_ = stats.total_length;
  doc_lengths_ = reinterpret_cast<const std::uint32_t*>(section(4 * identity.corpus_size, "doc lengths"));
  term_offsets_ = reinterpret_cast<const std::uint64_t*>(section(8 * (term_count_ + 1), "term offsets"));
  posting_offsets_ = reinterpret_cast<const std::uint64_t*>(section(8 * (term_count_ + 1), "posting offsets"));
  doc_freqs_ = reinterpret_cast<const std::uint32_t*>(section(4 * term_count_, "doc freqs"));
  term_strings_ = reinterpret_cast<const char*>(section(stats.term_strings_bytes, "term strings"));
  postings_ = section(stats.postings_bytes, "postings");
  if (term_offsets_[term_count_] != stats.term_strings_bytes || posting_offsets_[term_count_] != stats.postings_bytes)
    throw fail("is malformed: its offsets do not match its section sizes");
  for (std::uint64_t term = 0; term < term_count_; ++term) posting_count_ += doc_freqs_[term];
}

double FieldIndex::average_length() const {
  return documents_with_field_ == 0 ? 1.0 : static_cast<double>(total_length_) / static_cast<double>(documents_with_field_);
}

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

DocumentsIndex::DocumentsIndex(const std::string& path, const IndexIdentity& identity) : file_(path) {
  std::size_t size = 0;
  const unsigned char* payload = open_payload(file_, identity, "documents", size);
  if (size < 4 * identity.corpus_size)
    throw std::runtime_error("bm25: index file '" + path + "' is malformed: it has fewer id ranks than paragraphs");
  id_ranks_ = reinterpret_cast<const std::uint32_t*>(payload);
}

}  // namespace steper::bm25
