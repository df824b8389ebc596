// Finds added tokens (such as "<|eot_id|>") in a text before it is pre-tokenized: leftmost
// match first, the longest token where several start at one place, honouring single_word, lstrip
// and rstrip as Hugging Face's AddedVocabulary does.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer_spec.hpp"

namespace steper::bpe {

// A stretch of text to tokenize, or one added token (token_id >= 0, text is what it matched).
struct Segment {
  std::string_view text;
  std::int32_t token_id = -1;
};

class AddedTokenMatcher {
 public:
  AddedTokenMatcher() = default;
  // Looks for `forms[i]` (the content of `tokens[i]`, normalized if the token is) in the text.
  AddedTokenMatcher(std::vector<AddedToken> tokens, const std::vector<std::string>& forms);

  bool empty() const { return tokens_.empty(); }
  // Appends the segments of `text` (valid UTF-8) to `out`; empty stretches are left out.
  void split(std::string_view text, std::vector<Segment>& out) const;

 private:
  struct Node {
    std::int32_t token = -1;  // index into tokens_ of the token that ends here
    std::vector<std::pair<unsigned char, std::int32_t>> children;  // sorted by byte
  };
  std::int32_t child(std::int32_t node, unsigned char byte) const;
  // The token that matches longest at `pos`, with where that match ends; -1 when none.
  std::int32_t longest_at(std::string_view text, std::size_t pos, std::size_t& end) const;

  std::vector<AddedToken> tokens_;
  std::vector<Node> nodes_;                   // nodes_[0] is the root
  std::array<std::int32_t, 256> root_children_{};  // the root's children by byte, -1: none
};

}  // namespace steper::bpe
