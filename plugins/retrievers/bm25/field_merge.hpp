// Merges the partial indexes of the indexing threads into each field's final index, with the
// block skip data and max weights that pruned search needs.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "index_file.hpp"
#include "partial_index.hpp"
#include "scoring.hpp"

namespace steper::bm25 {

// The sorted union of the partial vocabularies. Term g's local id in partial p is
// local_ids[g * partial_count + p], or kAbsent.
struct Vocabulary {
  static constexpr std::uint32_t kAbsent = UINT32_MAX;
  std::vector<std::string_view> terms;  // into the partials' tables
  std::vector<std::uint32_t> local_ids;
  std::size_t partial_count = 0;
};
Vocabulary merge_vocabularies(const std::vector<PartialIndex>& partials);

// One field's index from the partials (which cover ascending document ranges), on `threads` threads.
FieldIndexData merge_field(const std::vector<PartialIndex>& partials, const Vocabulary& vocabulary, int field,
                           const Parameters& parameters, int threads);

}  // namespace steper::bm25
