// Builds the per-field inverted indexes of a corpus in memory (multi-threaded) and writes them.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "index_file.hpp"
#include "scoring.hpp"
#include "steper/types.hpp"

namespace steper::bm25 {

inline constexpr const char* kFieldNames[] = {"title", "text"};
inline constexpr int kFieldCount = 2;
std::string field_file_path(const std::string& dir, int field);
std::string documents_file_path(const std::string& dir);

struct BuiltIndex {
  FieldIndexData fields[kFieldCount];
  std::vector<std::uint32_t> id_ranks;  // each document's place in id order
};

// Hash of every paragraph's id, title and text, in order.
std::uint64_t corpus_hash(const Corpus& corpus);

// `parameters` set the max weights stored for pruning. `advance` (may be empty) is called with
// the number of paragraphs done since its last call, from one thread at a time.
BuiltIndex build_index(const Corpus& corpus, const Parameters& parameters, int threads,
                       const std::function<void(std::size_t)>& advance);

void write_index(const std::string& dir, const IndexIdentity& identity, const BuiltIndex& index);

}  // namespace steper::bm25
