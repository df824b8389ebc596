// The tables a Tokenizer encodes and decodes with, built from a TokenizerSpec.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "added_token_matcher.hpp"
#include "bpe_model.hpp"
#include "bpe_tokenizer.hpp"
#include "regex_splitter.hpp"
#include "tokenizer_spec.hpp"

namespace steper::bpe {

// Throws std::invalid_argument naming the tokenizer.json field at fault.
Tokenizer make_tokenizer(TokenizerSpec spec);

struct Tokenizer::Impl {
  explicit Impl(TokenizerSpec spec_in);
  Impl(const Impl&) = delete;  // the lookup tables point into `spec`
  Impl& operator=(const Impl&) = delete;

  // Working memory of one encode call.
  struct Scratch {
    std::vector<Segment> segments;
    std::vector<Segment> normalized_segments;
    std::vector<std::string_view> pieces;
    std::vector<std::string_view> split_pieces;
    std::vector<std::string_view> words;
    std::string prefixed;
    BpeModel::Scratch bpe;
  };
  void encode(std::string_view text, std::vector<std::int32_t>& ids) const;
  void encode_stretch(std::string_view text, Scratch& scratch, std::vector<std::int32_t>& ids) const;
  void pre_tokenize_and_merge(std::string_view text, Scratch& scratch,
                              std::vector<std::int32_t>& ids) const;
  std::string decode(const std::vector<std::int32_t>& ids, bool skip_special) const;

  const TokenizerSpec spec;
  const BpeModel model;
  std::int32_t vocab_size = 0;
  std::vector<std::int32_t> added_of_id;  // index into spec.added_tokens, -1: not an added token
  AddedTokenMatcher raw_added;            // tokens matched before normalization
  AddedTokenMatcher normalized_added;     // tokens matched after it
  std::vector<RegexSplitter> splits;
  std::optional<RegexSplitter> byte_level_split;  // GPT-2's pattern, when ByteLevel uses it
  std::vector<std::int32_t> prefix_ids;  // what the post-processor puts before the text
  std::vector<std::int32_t> suffix_ids;  // and after it
  std::unordered_map<std::string_view, std::int32_t> id_of_token;  // views into `spec`
};

}  // namespace steper::bpe
