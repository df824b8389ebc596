#include "bpe_model.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "byte_level.hpp"

namespace steper::bpe {
namespace {

std::string quoted(const std::string& token) { return "\"" + token + "\""; }

bool later(const BpeModel::Scratch::Candidate& a, const BpeModel::Scratch::Candidate& b) {
  return a.rank != b.rank ? a.rank > b.rank : a.pos > b.pos;
}

// Up to this many symbols a plain scan for the best pair beats the priority queue.
constexpr std::size_t kShortWord = 24;
constexpr Merge kNoMerge{std::numeric_limits<std::int32_t>::max(), -1};

}  // namespace

BpeModel::BpeModel(const BpeModelSpec& spec) : fuse_unk_(spec.fuse_unk), ignore_merges_(spec.ignore_merges) {
  byte_ids_.fill(-1);
  TokenIndex id_of;  // by byte-level spelling
  std::size_t spelling_bytes = 0;
  for (const auto& entry : spec.vocab) spelling_bytes += entry.first.size();
  id_of.reserve(spec.vocab.size(), spelling_bytes);
  index_.reserve(spec.vocab.size(), spelling_bytes);
  merges_.reserve(spec.merges.size());
  std::int32_t limit = 0;
  for (const auto& [token, id] : spec.vocab) {
    if (id < 0 || id >= kMaxTokenId)
      throw std::invalid_argument("model.vocab: token " + quoted(token) + " has id " + std::to_string(id) +
                                  "; ids must be from 0 to " + std::to_string(kMaxTokenId - 1));
    limit = std::max(limit, id + 1);
  }
  decoded_.resize(limit);
  present_.assign(limit, false);
  for (const auto& [token, id] : spec.vocab) {
    if (present_[id]) {
      throw std::invalid_argument("model.vocab: tokens " + quoted(decoded_[id]) + " and " +
                                  quoted(token) + " both have id " + std::to_string(id));
    }
    present_[id] = true;
    id_of.insert(token, id);
    if (std::optional<std::string> raw = from_byte_level(token)) {
      index_.insert(*raw, id);
      if (raw->size() == 1) byte_ids_[static_cast<unsigned char>((*raw)[0])] = id;
      decoded_[id] = std::move(*raw);
    } else {
      decoded_[id] = token;
    }
  }

  const auto id_in_vocab = [&](const std::string& token, std::size_t rank, const char* what) {
    const std::int32_t id = id_of.find(token);
    if (id < 0) {
      throw std::invalid_argument("model.merges[" + std::to_string(rank) + "]: " + what + " " +
                                  quoted(token) + " is not in model.vocab");
    }
    return id;
  };
  std::string merged;
  for (std::size_t rank = 0; rank < spec.merges.size(); ++rank) {
    const auto& [left, right] = spec.merges[rank];
    const std::int32_t left_id = id_in_vocab(left, rank, "token");
    const std::int32_t right_id = id_in_vocab(right, rank, "token");
    merged.assign(left).append(right);
    const std::int32_t merged_id = id_in_vocab(merged, rank, "the merged token");
    merges_.insert(left_id, right_id, Merge{static_cast<std::int32_t>(rank), merged_id});
  }

  if (spec.unk_token) {
    unk_id_ = id_of.find(*spec.unk_token);
    if (unk_id_ < 0) {
      throw std::invalid_argument("model.unk_token: " + quoted(*spec.unk_token) +
                                  " is not in model.vocab");
    }
  }
}

void BpeModel::encode_word(std::string_view bytes, Scratch& scratch,
                           std::vector<std::int32_t>& out) const {
  if (bytes.empty()) return;
  if (ignore_merges_) {
    const std::int32_t id = index_.find(bytes);
    if (id >= 0) {
      out.push_back(id);
      return;
    }
  }
  auto& symbols = scratch.symbols;
  symbols.clear();
  scratch.ids.clear();
  bool previous_unknown = false;
  for (const char c : bytes) {
    std::int32_t id = byte_ids_[static_cast<unsigned char>(c)];
    const bool unknown = id < 0;
    if (unknown) {
      if (unk_id_ < 0) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(c)));
        throw std::runtime_error(std::string("the vocabulary has no token for byte ") + hex +
                                 " and the model names no unk_token");
      }
      id = unk_id_;
      if (fuse_unk_ && previous_unknown) continue;
    }
    previous_unknown = unknown;
    const auto pos = static_cast<std::int32_t>(symbols.size());
    symbols.push_back({id, pos - 1, pos + 1, true});
  }
  symbols.back().next = -1;
  if (symbols.size() <= kShortWord) {
    for (const Scratch::Symbol& symbol : symbols) scratch.ids.push_back(symbol.id);
    merge_short_word(scratch);
    out.insert(out.end(), scratch.ids.begin(), scratch.ids.end());
    return;
  }
  merge_symbols(scratch);
  for (std::int32_t pos = 0; pos >= 0; pos = symbols[pos].next) out.push_back(symbols[pos].id);
}

// The same order as merge_symbols (lowest rank, then leftmost), found by scanning.
void BpeModel::merge_short_word(Scratch& scratch) const {
  auto& ids = scratch.ids;
  auto& merges = scratch.pair_merges;
  const auto merge_of = [&](std::size_t i) {
    const Merge* m = merges_.find(ids[i], ids[i + 1]);
    return m != nullptr ? *m : kNoMerge;
  };
  merges.clear();
  for (std::size_t i = 0; i + 1 < ids.size(); ++i) merges.push_back(merge_of(i));
  while (!merges.empty()) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < merges.size(); ++i) {
      if (merges[i].rank < merges[best].rank) best = i;
    }
    if (merges[best].id < 0) break;
    ids[best] = merges[best].id;
    ids.erase(ids.begin() + static_cast<std::ptrdiff_t>(best) + 1);
    merges.erase(merges.begin() + static_cast<std::ptrdiff_t>(best));
    if (best > 0) merges[best - 1] = merge_of(best - 1);
    if (best < merges.size()) merges[best] = merge_of(best);
  }
}

// Merges the adjacent pair of lowest rank, leftmost first among equal ranks, until none is left
// (Hugging Face's word.rs and transformers.js's BPE order).
void BpeModel::merge_symbols(Scratch& scratch) const {
  auto& symbols = scratch.symbols;
  auto& queue = scratch.queue;
  queue.clear();
  for (std::size_t i = 0; i + 1 < symbols.size(); ++i) {
    if (const Merge* m = merges_.find(symbols[i].id, symbols[i + 1].id)) {
      queue.push_back({m->rank, static_cast<std::int32_t>(i), m->id});
    }
  }
  std::make_heap(queue.begin(), queue.end(), later);
  const auto push = [&](std::int32_t pos) {
    const Scratch::Symbol& left = symbols[pos];
    if (left.next < 0) return;
    if (const Merge* m = merges_.find(left.id, symbols[left.next].id)) {
      queue.push_back({m->rank, pos, m->id});
      std::push_heap(queue.begin(), queue.end(), later);
    }
  };
  while (!queue.empty()) {
    std::pop_heap(queue.begin(), queue.end(), later);
    const Scratch::Candidate top = queue.back();
    queue.pop_back();
    Scratch::Symbol& left = symbols[top.pos];
    if (!left.alive || left.next < 0) continue;
    const Merge* m = merges_.find(left.id, symbols[left.next].id);
    if (m == nullptr || m->id != top.id) continue;  // stale: a neighbour changed since
    Scratch::Symbol& right = symbols[left.next];
    right.alive = false;
    left.id = top.id;
    left.next = right.next;
    if (left.next >= 0) symbols[left.next].prev = top.pos;
    if (left.prev >= 0) push(left.prev);
    push(top.pos);
  }
}

}  // namespace steper::bpe
