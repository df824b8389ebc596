// Open-addressing hash tables for the two lookups on the encoding path: a pre-token's bytes to
// its id, and a pair of adjacent ids to the merge that joins them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace steper::bpe {

// Byte strings to token ids. Keeps its own copy of the keys.
class TokenIndex {
 public:
  void reserve(std::size_t keys, std::size_t key_bytes);
  // Later inserts of the same key replace its id.
  void insert(std::string_view key, std::int32_t id);
  std::int32_t find(std::string_view key) const;  // -1 when absent
  std::size_t size() const { return count_; }

 private:
  struct Slot {
    std::uint32_t offset = 0;
    std::uint32_t length = 0;
    std::uint32_t hash = 0;
    std::int32_t id = -1;  // -1: empty
  };
  std::size_t probe(std::string_view key, std::uint32_t hash) const;
  void grow_to(std::size_t slots);

  std::string keys_;
  std::vector<Slot> slots_;
  std::size_t count_ = 0;
};

struct Merge {
  std::int32_t rank = 0;  // lower ranks merge first
  std::int32_t id = 0;    // the token the pair becomes
};

// (left id, right id) to the merge that joins them.
class MergeTable {
 public:
  void reserve(std::size_t merges);
  // Later inserts of the same pair replace its merge (as Hugging Face's and the JS loaders do).
  void insert(std::int32_t left, std::int32_t right, Merge merge);
  const Merge* find(std::int32_t left, std::int32_t right) const {
    if (keys_.empty()) return nullptr;
    const std::uint64_t key = pack(left, right);
    for (std::size_t slot = home(key);; slot = (slot + 1) & mask_) {
      if (keys_[slot] == key) return &values_[slot];
      if (keys_[slot] == kEmpty) return nullptr;
    }
  }
  std::size_t size() const { return count_; }

 private:
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};
  static std::uint64_t pack(std::int32_t left, std::int32_t right) {
    return (std::uint64_t{static_cast<std::uint32_t>(left)} << 32) | static_cast<std::uint32_t>(right);
  }
  std::size_t home(std::uint64_t key) const {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_);
  }
  void grow_to(std::size_t slots);

  std::vector<std::uint64_t> keys_;
  std::vector<Merge> values_;
  std::size_t count_ = 0;
  std::size_t mask_ = 0;
  unsigned shift_ = 64;
};

}  // namespace steper::bpe
