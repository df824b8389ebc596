// What a tokenizer.json holds, once read: the parts this library supports, field for field, so
// that a tokenizer writes back what it read. Paths in comments are those of tokenizer.json.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace steper::bpe {

// Token ids run from 0 to below this: tables are sized by the largest id, so a hostile one would
// exhaust memory (128 times Llama 3's vocabulary).
constexpr std::int32_t kMaxTokenId = 1 << 24;

// added_tokens[i]
struct AddedToken {
  std::int32_t id = 0;
  std::string content;
  bool single_word = false;  // matches only between white space (or the ends of the text)
  bool lstrip = false;       // swallows the white space before it
  bool rstrip = false;       // swallows the white space after it
  bool normalized = false;   // matched in the normalized text rather than the raw text
  bool special = false;      // dropped by decode(skip_special = true)
};

enum class NormalizerKind { none, nfc };

// A ByteLevel pre-tokenizer, post-processor or decoder.
struct ByteLevelOptions {
  bool add_prefix_space = false;
  bool trim_offsets = true;
  bool use_regex = true;  // split with GPT-2's pattern first
};

// A Split pre-tokenizer with behavior Isolated and invert false (the only ones supported).
struct SplitRule {
  std::string pattern;
  bool is_regex = true;  // pattern.Regex; otherwise pattern.String, matched literally
};

// pre_tokenizer: zero or more Split rules, then one ByteLevel step.
struct PreTokenizerSpec {
  std::vector<SplitRule> splits;
  ByteLevelOptions byte_level;
  bool is_sequence = true;  // written as a Sequence rather than a lone ByteLevel
};

// One item of a TemplateProcessing template.
struct TemplateItem {
  bool is_sequence = false;  // {"Sequence": ...}; otherwise {"SpecialToken": ...}
  std::string id;            // "A" or "B" for a sequence, the special token's name otherwise
  std::uint32_t type_id = 0;
};

struct TemplateSpecialToken {
  std::string id;
  std::vector<std::int32_t> ids;
  std::vector<std::string> tokens;
};

struct PostProcessorStep {
  enum class Kind { byte_level, template_processing };
  Kind kind = Kind::byte_level;
  ByteLevelOptions byte_level;                        // Kind::byte_level
  std::vector<TemplateItem> single;                   // Kind::template_processing
  std::vector<TemplateItem> pair;                     // Kind::template_processing
  std::vector<TemplateSpecialToken> special_tokens;   // Kind::template_processing
};

// post_processor: null (no steps), one step, or a Sequence of steps.
struct PostProcessorSpec {
  std::vector<PostProcessorStep> steps;
  bool is_sequence = false;
};

// model, of type BPE.
struct BpeModelSpec {
  std::vector<std::pair<std::string, std::int32_t>> vocab;  // byte-level token strings, by id
  std::vector<std::pair<std::string, std::string>> merges;  // by rank
  std::optional<std::string> unk_token;
  bool fuse_unk = false;
  bool ignore_merges = false;  // a pre-token found in the vocab is emitted whole
};

struct TokenizerSpec {
  std::vector<AddedToken> added_tokens;
  NormalizerKind normalizer = NormalizerKind::none;
  PreTokenizerSpec pre_tokenizer;
  PostProcessorSpec post_processor;
  ByteLevelOptions decoder;  // the ByteLevel decoder's options (they do not change decoding)
  BpeModelSpec model;
};

}  // namespace steper::bpe
