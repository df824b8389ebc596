// A hash table from strings to 32-bit values for interning tokens while indexing: open
// addressing with linear probing over 32-byte slots that hold keys of up to 24 bytes inline,
// so looking up a token touches one cache line (longer keys live in an arena). Entries are
// numbered in insertion order.
//
// Past the first few thousand tokens of a Zipfian vocabulary, lookups miss the cache, so the
// key is hashed first (`Key`) and its slot can be prefetched while earlier tokens are looked up.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace steper::bm25 {

class StringTable {
 public:
  // A key hashed and laid out as the slots compare it. Refers to the text it was made from.
  class Key {
   public:
    Key() = default;
    explicit Key(std::string_view text);
    std::string_view text() const { return text_; }

   private:
    friend class StringTable;
    std::string_view text_;
    std::uint64_t hash_ = 0;
    std::uint32_t tag_ = 0;     // the hash's high bits, the length (capped at 255) in the low byte; never 0
    std::uint64_t inline_[3] = {0, 0, 0};  // the text zero-padded, when it fits
  };

  explicit StringTable(std::size_t expected_size = 1024);

  void prefetch(const Key& key) const { __builtin_prefetch(&slots_[key.hash_ & (slots_.size() - 1)]); }
  // The value stored for the key, or nullptr when the table has none.
  std::uint32_t* find(const Key& key);
  // Stores the key with `value`; the key must not be in the table yet. Returns its entry number.
  std::uint32_t insert(const Key& key, std::uint32_t value);

  std::size_t size() const { return key_ends_.size(); }
  std::string_view key(std::size_t entry) const {
    const std::uint64_t begin = entry == 0 ? 0 : key_ends_[entry - 1];
    return std::string_view(keys_).substr(begin, key_ends_[entry] - begin);
  }

 private:
  static constexpr std::size_t kInlineBytes = 24;
  struct alignas(32) Slot {
    std::uint32_t tag;  // 0: empty
    std::uint32_t value;
    std::uint64_t key[3];  // the key zero-padded when it fits; else its offset and length in keys_
  };
  void place(const Key& key, std::uint64_t key_offset, std::uint32_t value);
  void grow();

  std::vector<Slot> slots_;  // a power of two long, at most 70% full
  std::string keys_;                     // every key, concatenated in insertion order
  std::vector<std::uint64_t> key_ends_;  // by entry
};

}  // namespace steper::bm25
