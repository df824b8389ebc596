// The k best hits seen so far: the higher score first, ties to the paragraph whose id comes
// first (its id rank), so every search returns one well-defined list.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "steper/types.hpp"

namespace steper::bm25 {

class TopK {
 public:
  TopK(std::size_t k, const std::uint32_t* id_ranks) : k_(k), better_{id_ranks} { hits_.reserve(k + 1); }

  bool full() const { return hits_.size() >= k_; }
  // The worst kept score once full, which a new hit must at least reach; -inf before.
  double threshold() const { return full() ? hits_.front().score : -std::numeric_limits<double>::infinity(); }

  // Keeps the hit if it is among the k best so far; returns whether it was kept.
  bool offer(std::size_t doc, double score) {
    const RetrievalHit hit{doc, score};
    if (!full()) {
      hits_.push_back(hit);
      std::push_heap(hits_.begin(), hits_.end(), better_);
      return true;
    }
    if (!better_(hit, hits_.front())) return false;
    std::pop_heap(hits_.begin(), hits_.end(), better_);
    hits_.back() = hit;
    std::push_heap(hits_.begin(), hits_.end(), better_);
    return true;
  }

  // The kept hits, best first.
  std::vector<RetrievalHit> take_sorted() {
    std::sort_heap(hits_.begin(), hits_.end(), better_);
    return std::move(hits_);
  }

 private:
  struct Better {
    const std::uint32_t* id_ranks;
    bool operator()(const RetrievalHit& a, const RetrievalHit& b) const {
      return a.score != b.score ? a.score > b.score : id_ranks[a.doc] < id_ranks[b.doc];
    }
  };
  std::size_t k_;
  Better better_;
  std::vector<RetrievalHit> hits_;  // a heap whose front is the worst hit kept
};

}  // namespace steper::bm25
