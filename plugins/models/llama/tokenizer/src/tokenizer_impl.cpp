#include "tokenizer_impl.hpp"

#include <algorithm>
#include <stdexcept>

#include "nfc.hpp"
#include "utf8.hpp"

namespace steper::bpe {
namespace {

// What ByteLevel splits with when its use_regex is true.
constexpr const char* kGpt2SplitPattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

std::string added_path(std::size_t i) { return "added_tokens[" + std::to_string(i) + "]"; }

std::string split_path(std::size_t i) {
  return "pre_tokenizer.pretokenizers[" + std::to_string(i) + "].pattern";
}

AddedTokenMatcher matcher_of(const std::vector<AddedToken>& all, bool normalized, bool nfc) {
  std::vector<AddedToken> tokens;
  std::vector<std::string> forms;
  for (const AddedToken& token : all) {
    if (token.normalized != normalized) continue;
    tokens.push_back(token);
    forms.push_back(normalized && nfc ? to_nfc(token.content) : token.content);
  }
  return AddedTokenMatcher(std::move(tokens), forms);
}

}  // namespace

Tokenizer make_tokenizer(TokenizerSpec spec) {
  return Tokenizer(std::make_shared<const Tokenizer::Impl>(std::move(spec)));
}

Tokenizer::Impl::Impl(TokenizerSpec spec_in)
    : spec(std::move(spec_in)),
      model(spec.model),
      raw_added(matcher_of(spec.added_tokens, false, spec.normalizer == NormalizerKind::nfc)),
      normalized_added(matcher_of(spec.added_tokens, true, spec.normalizer == NormalizerKind::nfc)) {
  vocab_size = model.id_limit();
  for (const AddedToken& token : spec.added_tokens) vocab_size = std::max(vocab_size, token.id + 1);

  for (const auto& [token, id] : spec.model.vocab) id_of_token.emplace(token, id);
  added_of_id.assign(vocab_size, -1);
  for (std::size_t i = 0; i < spec.added_tokens.size(); ++i) {
    const AddedToken& token = spec.added_tokens[i];
    if (!is_valid_utf8(token.content)) {
      throw std::invalid_argument(added_path(i) + ".content: not valid UTF-8");
    }
    if (added_of_id[token.id] >= 0) {
      throw std::invalid_argument(added_path(i) + ".id: id " + std::to_string(token.id) +
                                  " is already added_tokens[" +
                                  std::to_string(added_of_id[token.id]) + "]");
    }
    const auto in_vocab = id_of_token.find(token.content);
    if (model.has_id(token.id) && (in_vocab == id_of_token.end() || in_vocab->second != token.id)) {
      throw std::invalid_argument(added_path(i) + ".id: id " + std::to_string(token.id) +
                                  " belongs to another model.vocab token than \"" + token.content +
                                  "\"");
    }
    added_of_id[token.id] = static_cast<std::int32_t>(i);
    id_of_token[token.content] = token.id;
  }

  for (std::size_t i = 0; i < spec.pre_tokenizer.splits.size(); ++i) {
    const SplitRule& rule = spec.pre_tokenizer.splits[i];
    try {
      splits.push_back(rule.is_regex ? RegexSplitter::regex(rule.pattern)
                                     : RegexSplitter::literal(rule.pattern));
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(split_path(i) + ": " + e.what() +
                                  " in \"" + rule.pattern + "\"");
    }
  }
  if (spec.pre_tokenizer.byte_level.use_regex) byte_level_split = RegexSplitter::regex(kGpt2SplitPattern);

  for (std::size_t s = 0; s < spec.post_processor.steps.size(); ++s) {
    const PostProcessorStep& step = spec.post_processor.steps[s];
    if (step.kind != PostProcessorStep::Kind::template_processing) continue;
    const std::string path = spec.post_processor.is_sequence
                                 ? "post_processor.processors[" + std::to_string(s) + "]"
                                 : std::string("post_processor");
    std::vector<std::int32_t> before;
    std::vector<std::int32_t> after;
    bool past_sequence = false;
    for (const TemplateItem& item : step.single) {
      if (item.is_sequence) {
        past_sequence = true;
        continue;
      }
      const auto special = std::find_if(step.special_tokens.begin(), step.special_tokens.end(),
                                        [&](const auto& t) { return t.id == item.id; });
      for (std::size_t k = 0; k < special->ids.size(); ++k) {
        const std::int32_t id = special->ids[k];
        if (!model.has_id(id) && (id >= vocab_size || added_of_id[id] < 0)) {
          throw std::invalid_argument(path + ".special_tokens[\"" + special->id + "\"].ids[" +
                                      std::to_string(k) + "]: id " + std::to_string(id) +
                                      " is no token of this tokenizer");
        }
        (past_sequence ? after : before).push_back(id);
      }
    }
    prefix_ids.insert(prefix_ids.begin(), before.begin(), before.end());
    suffix_ids.insert(suffix_ids.end(), after.begin(), after.end());
  }
}

void Tokenizer::Impl::encode(std::string_view text, std::vector<std::int32_t>& ids) const {
  std::string repaired;
  if (!is_valid_utf8(text)) {
    append_repaired_utf8(repaired, text);
    text = repaired;
  }
  Scratch scratch;
  if (raw_added.empty()) {
    scratch.segments.push_back({text});
  } else {
    raw_added.split(text, scratch.segments);
  }
  for (const Segment& segment : scratch.segments) {
    if (segment.token_id >= 0) {
      ids.push_back(segment.token_id);
    } else {
      encode_stretch(segment.text, scratch, ids);
    }
  }
}

// A stretch of raw text between added tokens: normalized, split on the added tokens that match
// normalized text, then pre-tokenized and merged.
void Tokenizer::Impl::encode_stretch(std::string_view text, Scratch& scratch,
                                     std::vector<std::int32_t>& ids) const {
  std::string normalized;
  if (spec.normalizer == NormalizerKind::nfc) {
    normalized = to_nfc(text);
    text = normalized;
  }
  if (normalized_added.empty()) {
    pre_tokenize_and_merge(text, scratch, ids);
    return;
  }
  scratch.normalized_segments.clear();
  normalized_added.split(text, scratch.normalized_segments);
  for (const Segment& segment : scratch.normalized_segments) {
    if (segment.token_id >= 0) {
      ids.push_back(segment.token_id);
    } else {
      pre_tokenize_and_merge(segment.text, scratch, ids);
    }
  }
}

void Tokenizer::Impl::pre_tokenize_and_merge(std::string_view text, Scratch& scratch,
                                             std::vector<std::int32_t>& ids) const {
  auto& pieces = scratch.pieces;
  pieces.assign(1, text);
  for (const RegexSplitter& split : splits) {
    scratch.split_pieces.clear();
    for (const std::string_view piece : pieces) split.split(piece, scratch.split_pieces);
    pieces.swap(scratch.split_pieces);
  }
  const bool add_prefix_space = spec.pre_tokenizer.byte_level.add_prefix_space;
  for (std::string_view piece : pieces) {
    if (add_prefix_space && piece.front() != ' ') {
      scratch.prefixed.assign(1, ' ');
      scratch.prefixed.append(piece);
      piece = scratch.prefixed;
    }
    if (!byte_level_split) {
      model.encode_word(piece, scratch.bpe, ids);
      continue;
    }
    scratch.words.clear();
    byte_level_split->split(piece, scratch.words);
    for (const std::string_view word : scratch.words) model.encode_word(word, scratch.bpe, ids);
  }
}

std::string Tokenizer::Impl::decode(const std::vector<std::int32_t>& ids, bool skip_special) const {
  std::string text;
  std::string bytes;  // byte-level tokens since the last added token
  for (const std::int32_t id : ids) {
    if (id < 0 || id >= vocab_size) continue;
    if (const std::int32_t added = added_of_id[id]; added >= 0) {
      const AddedToken& token = spec.added_tokens[added];
      if (skip_special && token.special) continue;
      append_repaired_utf8(text, bytes);
      bytes.clear();
      text += token.content;
    } else if (model.has_id(id)) {
      bytes += model.decoded(id);
    }
  }
  append_repaired_utf8(text, bytes);
  return text;
}

}  // namespace steper::bpe
