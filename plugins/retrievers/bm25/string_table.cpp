#include "string_table.hpp"

#include <cstring>

namespace steper::bm25 {
namespace {

// A multiply-xorshift hash over 8-byte words; tokens are short, so this beats byte-wise hashes.
std::uint64_t hash_of(std::string_view text) {
  constexpr std::uint64_t kMultiplier = 0x9E3779B97F4A7C15ull;
  std::uint64_t hash = text.size() * kMultiplier;
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    hash = (hash ^ word) * kMultiplier;
    hash ^= hash >> 32;
  }
  if (i < text.size()) {
    std::uint64_t word = 0;
    std::memcpy(&word, text.data() + i, text.size() - i);
    hash = (hash ^ word) * kMultiplier;
  }
  hash ^= hash >> 29;
  hash *= 0xBF58476D1CE4E5B9ull;
  return hash ^ (hash >> 32);
}

std::size_t power_of_two_at_least(std::size_t n) {
  std::size_t size = 16;
  while (size < n) size *= 2;
  return size;
}

}  // namespace

StringTable::Key::Key(std::string_view text) : text_(text), hash_(hash_of(text)) {
  const std::uint32_t length = text.size() < 255 ? static_cast<std::uint32_t>(text.size()) : 255;
  tag_ = ((static_cast<std::uint32_t>(hash_ >> 32) | 0x80000000u) & ~0xFFu) | length;
  if (text.size() <= kInlineBytes) std::memcpy(inline_, text.data(), text.size());
}

StringTable::StringTable(std::size_t expected_size) : slots_(power_of_two_at_least(expected_size * 10 / 7 + 1)) {
  key_ends_.reserve(expected_size);
}

std::uint32_t* StringTable::find(const Key& key) {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t at = key.hash_ & mask;; at = (at + 1) & mask) {
    Slot& slot = slots_[at];
    if (slot.tag == 0) return nullptr;
    if (slot.tag != key.tag_) continue;
    if (key.text_.size() <= kInlineBytes) {
      if (slot.key[0] == key.inline_[0] && slot.key[1] == key.inline_[1] && slot.key[2] == key.inline_[2])
        return &slot.value;
    } else if (slot.key[1] == key.text_.size() &&
               std::memcmp(keys_.data() + slot.key[0], key.text_.data(), key.text_.size()) == 0) {
      return &slot.value;
    }
  }
}

std::uint32_t StringTable::insert(const Key& key, std::uint32_t value) {
  if ((size() + 1) * 10 > slots_.size() * 7) grow();
  const std::uint64_t offset = keys_.size();
  keys_.append(key.text_);
  key_ends_.push_back(keys_.size());
  place(key, offset, value);
  return static_cast<std::uint32_t>(size() - 1);
}

void StringTable::place(const Key& key, std::uint64_t key_offset, std::uint32_t value) {
  const std::size_t mask = slots_.size() - 1;
  std::size_t at = key.hash_ & mask;
  while (slots_[at].tag != 0) at = (at + 1) & mask;
  Slot& slot = slots_[at];
  slot.tag = key.tag_;
  slot.value = value;
  if (key.text_.size() <= kInlineBytes) {
    std::memcpy(slot.key, key.inline_, sizeof slot.key);
  } else {
    slot.key[0] = key_offset;
    slot.key[1] = key.text_.size();
    slot.key[2] = 0;
  }
}

void StringTable::grow() {
  std::vector<Slot> old(slots_.size() * 2, Slot{0, 0, {0, 0, 0}});
  old.swap(slots_);
  for (const Slot& slot : old) {
    if (slot.tag == 0) continue;
    const std::size_t length = slot.tag & 0xFF;
    const std::string_view text = length <= kInlineBytes
                                      ? std::string_view(reinterpret_cast<const char*>(slot.key), length)
                                      : std::string_view(keys_).substr(slot.key[0], slot.key[1]);
    place(Key(text), slot.key[0], slot.value);
  }
}

}  // namespace steper::bm25
