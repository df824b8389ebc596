// The BPE model of a byte-level tokenizer: the vocabulary and the ranked merges, applied to the
// raw bytes of one pre-token at a time.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "token_tables.hpp"
#include "tokenizer_spec.hpp"

namespace steper::bpe {

class BpeModel {
 public:
  // Working memory that encode_word reuses from word to word; one per thread.
  struct Scratch {
    struct Symbol {
      std::int32_t id;
      std::int32_t prev;  // -1: none
      std::int32_t next;  // -1: none
      bool alive;
    };
    struct Candidate {
      std::int32_t rank;
      std::int32_t pos;  // the left symbol
      std::int32_t id;   // what the pair becomes
    };
    std::vector<Symbol> symbols;
    std::vector<Candidate> queue;
    std::vector<std::int32_t> ids;      // short words: the symbols in order
    std::vector<Merge> pair_merges;     // short words: the merge of ids[i] and ids[i + 1]
  };

  // Throws std::invalid_argument naming the field of tokenizer.json at fault.
  explicit BpeModel(const BpeModelSpec& spec);

  // Appends the ids of one pre-token (raw bytes, not byte-level text) to `out`.
  void encode_word(std::string_view bytes, Scratch& scratch, std::vector<std::int32_t>& out) const;

  std::int32_t id_limit() const { return static_cast<std::int32_t>(decoded_.size()); }
  bool has_id(std::int32_t id) const { return id >= 0 && id < id_limit() && present_[id]; }
  // What decoding `id` yields: the bytes a byte-level token stands for, or the token's own text
  // when it lies outside the byte-level alphabet (as Hugging Face's ByteLevel decoder does).
  const std::string& decoded(std::int32_t id) const { return decoded_[id]; }

 private:
  void merge_symbols(Scratch& scratch) const;
  void merge_short_word(Scratch& scratch) const;

  TokenIndex index_;  // raw bytes to id, for the tokens of the byte-level alphabet
  MergeTable merges_;
  std::array<std::int32_t, 256> byte_ids_{};  // -1: the vocabulary lacks that byte
  std::int32_t unk_id_ = -1;
  bool fuse_unk_ = false;
  bool ignore_merges_ = false;
  std::vector<std::string> decoded_;
  std::vector<bool> present_;
};

}  // namespace steper::bpe
