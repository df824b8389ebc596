// Counts the term ids of one text in a small table that stays in the L1 cache; an array of
// counts by term id would miss the cache at every rare term of a large vocabulary.
#pragma once

#include <cstdint>
#include <vector>

namespace steper::bm25 {

struct TermCount {
  std::uint32_t term;
  std::uint32_t count;
};

class TermCounter {
 public:
  // Empties the counter for a text of at most `tokens` tokens.
  void reset(std::size_t tokens) {
    for (const std::uint32_t slot : used_) slots_[slot] = 0;
    used_.clear();
    counts_.clear();
    std::size_t size = 64;
    while (size < 2 * tokens) size *= 2;  // at most half full
    if (slots_.size() < size) slots_.assign(size, 0);
    mask_ = static_cast<std::uint32_t>(size - 1);
  }

  void add(std::uint32_t term) {
    std::uint32_t slot = (term * 0x9E3779B1u) & mask_;
    for (;; slot = (slot + 1) & mask_) {
      const std::uint32_t entry = slots_[slot];
      if (entry == 0) break;
      if (counts_[entry - 1].term == term) {
        ++counts_[entry - 1].count;
        return;
      }
    }
    counts_.push_back({term, 1});
    slots_[slot] = static_cast<std::uint32_t>(counts_.size());
    used_.push_back(slot);
  }

  // The distinct terms with their counts, in order of first occurrence.
  const std::vector<TermCount>& counts() const { return counts_; }

 private:
  std::vector<std::uint32_t> slots_;  // entry in counts_ + 1; 0 marks an empty slot
  std::vector<std::uint32_t> used_;   // slots to empty on reset
  std::vector<TermCount> counts_;
  std::uint32_t mask_ = 0;
};

}  // namespace steper::bm25
