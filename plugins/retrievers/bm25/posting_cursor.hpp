// Walks one term's postings in document order, decoding them one at a time, and skips whole
// blocks (index_file.hpp) when asked for a later document.
#pragma once

#include <cstdint>

#include "index_file.hpp"

namespace steper::bm25 {

class PostingCursor {
 public:
  static constexpr std::uint32_t kEnd = UINT32_MAX;  // doc() past the last posting

  PostingCursor(const FieldIndex& index, std::uint64_t term)
      : base_(index.postings(term)), blocks_(index.blocks(term)), doc_freq_(index.doc_freq(term)) {
    if (blocks_.count == 0) {
      doc_ = kEnd;
      return;
    }
    enter_block(0);
    next();
  }

  std::uint32_t doc() const { return doc_; }
  std::uint32_t tf() const { return tf_; }
  std::uint32_t length() const { return length_; }  // of the document's field

  void next() {
    if (left_in_block_ == 0) {
      if (block_ + 1 == blocks_.count) {
        doc_ = kEnd;
        return;
      }
      enter_block(block_ + 1);
    }
    std::uint32_t gap;
    p_ = read_varint(p_, gap);
    p_ = read_varint(p_, tf_);
    p_ = read_varint(p_, length_);
    doc_ += gap;
    --left_in_block_;
  }

  // Moves to the first posting whose doc is >= target (targets never decrease between calls).
  void next_geq(std::uint32_t target) {
    if (doc_ >= target) return;
    if (target > blocks_.last_docs[block_]) {
      const std::uint64_t block = find_block(target);
      if (block == blocks_.count) {
        doc_ = kEnd;
        return;
      }
      enter_block(block);
    }
    do next();
    while (doc_ < target);
  }

  // The largest tf weight in the block of the current posting.
  float block_max_weight() const { return blocks_.max_weights[block_]; }

  // The largest tf weight in the block where next_geq(target) would stop (0 past the last
  // block), found without decoding any posting. It holds for every target up to `until`, the
  // block's last doc (kEnd past the last block).
  float block_max_weight(std::uint32_t target, std::uint32_t& until) {
    const std::uint64_t block = find_block(target);
    until = block == blocks_.count ? kEnd : blocks_.last_docs[block];
    return block == blocks_.count ? 0.0f : blocks_.max_weights[block];
  }

 private:
  // The first block at or after the current one whose last doc is >= target.
  std::uint64_t find_block(std::uint32_t target) {
    if (probe_ < block_) probe_ = block_;
    while (probe_ < blocks_.count && blocks_.last_docs[probe_] < target) ++probe_;
    return probe_;
  }

  void enter_block(std::uint64_t block) {
    block_ = block;
    p_ = base_ + blocks_.offsets[block];
    doc_ = block == 0 ? 0 : blocks_.last_docs[block - 1];  // gaps continue across blocks
    left_in_block_ = block + 1 == blocks_.count ? doc_freq_ - static_cast<std::uint32_t>(block * kBlockSize) : kBlockSize;
  }

  const unsigned char* base_;
  const unsigned char* p_ = nullptr;
  TermBlocks blocks_;
  std::uint32_t doc_freq_;
  std::uint64_t block_ = 0;  // the block of the current posting
  std::uint64_t probe_ = 0;  // where find_block stopped last
  std::uint32_t left_in_block_ = 0;
  std::uint32_t doc_ = 0, tf_ = 0, length_ = 0;
};

}  // namespace steper::bm25
