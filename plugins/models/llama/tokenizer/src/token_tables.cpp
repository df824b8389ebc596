#include "token_tables.hpp"

#include <functional>
#include <limits>
#include <stdexcept>

namespace steper::bpe {
namespace {

std::uint32_t hash_of(std::string_view key) {
  return static_cast<std::uint32_t>(std::hash<std::string_view>{}(key));
}

// Slots for `count` entries at a load factor of at most one half.
std::size_t slots_for(std::size_t count) {
  std::size_t slots = 64;
  while (slots < 2 * count) slots *= 2;
  return slots;
}

}  // namespace

std::size_t TokenIndex::probe(std::string_view key, std::uint32_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t slot = hash & mask;; slot = (slot + 1) & mask) {
    const Slot& s = slots_[slot];
    if (s.id < 0) return slot;
    if (s.hash == hash && std::string_view(keys_).substr(s.offset, s.length) == key) return slot;
  }
}

void TokenIndex::reserve(std::size_t keys, std::size_t key_bytes) {
  keys_.reserve(key_bytes);
  if (slots_for(keys) > slots_.size()) grow_to(slots_for(keys));
}

void TokenIndex::insert(std::string_view key, std::int32_t id) {
  if (keys_.size() + key.size() > std::numeric_limits<std::uint32_t>::max()) {
    throw std::length_error("token index over 4 GiB of token text");
  }
  if (2 * (count_ + 1) > slots_.size()) grow_to(slots_for(count_ + 1));
  const std::uint32_t hash = hash_of(key);
  Slot& slot = slots_[probe(key, hash)];
  if (slot.id < 0) {
    slot = {static_cast<std::uint32_t>(keys_.size()), static_cast<std::uint32_t>(key.size()), hash,
            id};
    keys_.append(key);
    ++count_;
  } else {
    slot.id = id;
  }
}

std::int32_t TokenIndex::find(std::string_view key) const {
  if (slots_.empty()) return -1;
  return slots_[probe(key, hash_of(key))].id;
}

void TokenIndex::grow_to(std::size_t slots) {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(slots, Slot{});
  const std::size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.id < 0) continue;
    std::size_t slot = s.hash & mask;
    while (slots_[slot].id >= 0) slot = (slot + 1) & mask;
    slots_[slot] = s;
  }
}

void MergeTable::reserve(std::size_t merges) {
  if (slots_for(merges) > keys_.size()) grow_to(slots_for(merges));
}

void MergeTable::insert(std::int32_t left, std::int32_t right, Merge merge) {
  if (2 * (count_ + 1) > keys_.size()) grow_to(slots_for(count_ + 1));
  const std::uint64_t key = pack(left, right);
  std::size_t slot = home(key);
  while (keys_[slot] != kEmpty && keys_[slot] != key) slot = (slot + 1) & mask_;
  if (keys_[slot] == kEmpty) ++count_;
  keys_[slot] = key;
  values_[slot] = merge;
}

void MergeTable::grow_to(std::size_t capacity) {
  std::vector<std::uint64_t> old_keys = std::move(keys_);
  std::vector<Merge> old_values = std::move(values_);
  keys_.assign(capacity, kEmpty);
  values_.assign(capacity, Merge{});
  mask_ = capacity - 1;
  shift_ = 64;
  for (std::size_t c = capacity; c > 1; c >>= 1) --shift_;
  for (std::size_t i = 0; i < old_keys.size(); ++i) {
    if (old_keys[i] == kEmpty) continue;
    std::size_t slot = home(old_keys[i]);
    while (keys_[slot] != kEmpty) slot = (slot + 1) & mask_;
    keys_[slot] = old_keys[i];
    values_[slot] = old_values[i];
  }
}

}  // namespace steper::bpe
