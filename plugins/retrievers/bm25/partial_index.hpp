// What one indexing thread makes of a contiguous range of documents: its own vocabulary and,
// per field and term, the postings as varint (doc gap, tf, length) triples, the first gap
// from doc 0.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "index_builder.hpp"
#include "index_file.hpp"
#include "string_table.hpp"

namespace steper::bm25 {

struct TermPostings {
  std::string bytes;  // short lists stay inside the string, without an allocation
  std::uint32_t last_doc = 0;
  std::uint32_t count = 0;

  void add(std::uint32_t doc, std::uint32_t tf, std::uint32_t length) {
    const std::size_t at = bytes.size();
    bytes.resize(at + 3 * kMaxVarintBytes);  // grows the capacity by doubling, like appending
    auto* const start = reinterpret_cast<unsigned char*>(bytes.data());
    unsigned char* end = write_varint(count == 0 ? doc : doc - last_doc, start + at);
    end = write_varint(tf, end);
    end = write_varint(length, end);
    bytes.resize(static_cast<std::size_t>(end - start));
    last_doc = doc;
    ++count;
  }
  // Where the next posting goes, to prefetch.
  const char* end() const { return bytes.data() + bytes.size(); }
};

struct PartialIndex {
  StringTable terms;  // term -> local id, which is also its entry index
  std::vector<TermPostings> postings[kFieldCount];  // [field][local id]
  std::uint64_t documents_with_field[kFieldCount] = {};  // with a non-empty field
  std::uint64_t total_length[kFieldCount] = {};
};

}  // namespace steper::bm25
