// A byte-level BPE tokenizer that reads and writes Hugging Face's tokenizer.json (the Llama 3 /
// 3.1 and Qwen2 / 2.5 kind) and encodes and decodes as Hugging Face's tokenizers and
// transformers.js do, plus a trainer for small byte-level BPE vocabularies.
//
// What a tokenizer.json may hold: model BPE (vocab; merges as "a b" strings or [a, b] pairs;
// ignore_merges; unk_token); added_tokens (special or not, single_word, lstrip, rstrip,
// normalized); normalizer null or NFC; pre_tokenizer ByteLevel, or a Sequence of Split rules
// (Regex or String pattern, behavior Isolated, invert false) ending in ByteLevel; decoder
// ByteLevel; post_processor null, ByteLevel, TemplateProcessing or a Sequence of them. Anything
// else is refused with an error that names the file and the field.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace steper::bpe {

struct TokenizerSpec;

// What this library honours of a Hugging Face tokenizer_config.json (the file beside
// tokenizer.json in a model folder).
struct TokenizerConfig {
  // transformers applies clean_up_tokenization() to what it decodes (Llama 3.1 sets it).
  bool clean_up_tokenization_spaces = false;
};

// Reads `tokenizer_config_json`; when there is no such file, the defaults (as transformers).
// Throws std::runtime_error naming the file and, for a bad value, its key.
TokenizerConfig read_tokenizer_config(const std::filesystem::path& tokenizer_config_json);

// transformers' clean_up_tokenization: drops the space before . ? ! , and English contractions
// (" n't", " 's", ...), and both spaces around a lone " ' ".
std::string clean_up_tokenization(std::string text);

// Immutable once made; copies share their tables. All const members may be called from many
// threads at once.
class Tokenizer {
 public:
  // Throws std::runtime_error naming the file and, for a bad or unsupported field, its JSON path.
  // `config` is kept as given (save() does not write it).
  static Tokenizer load(const std::filesystem::path& tokenizer_json, const TokenizerConfig& config = {});
  // Writes a tokenizer.json that this library, Hugging Face's tokenizers and transformers.js
  // read: to a temporary file beside it, then renamed over it. Throws std::runtime_error.
  void save(const std::filesystem::path& tokenizer_json) const;

  // The ids of `text`, without the post-processor's tokens (no BOS). Added and special tokens
  // written in the text (such as "<|eot_id|>") become their ids. Ill-formed UTF-8 is read as
  // U+FFFD for each maximal ill-formed subsequence, as JS's TextDecoder does.
  std::vector<std::int32_t> encode(std::string_view text) const;
  // encode() wrapped by the post-processor's template (Llama 3: <|begin_of_text|> first).
  std::vector<std::int32_t> encode_with_special(std::string_view text) const;
  // The text of `ids`. Added tokens come out as their content (special ones left out when
  // `skip_special`); ids no token has are skipped, and byte sequences that are not UTF-8 come
  // out as U+FFFD, both as Hugging Face does. Then clean_up_tokenization() when the config says.
  std::string decode(const std::vector<std::int32_t>& ids, bool skip_special = false) const;

  // One more than the highest id (the rows an embedding table needs).
  std::int32_t vocab_size() const;
  // The id of an added token ("<|eot_id|>") or of a vocabulary entry in its byte-level
  // spelling ("Ġthe").
  std::optional<std::int32_t> token_id(std::string_view token) const;
  // The token with `id`, spelled as in tokenizer.json; none for an id no token has.
  std::optional<std::string> token(std::int32_t id) const;
  bool is_special(std::int32_t id) const;
  // The special tokens the post-processor puts first and last around a single text, as far as
  // tokenizer.json tells (Llama 3.1 names a BOS only: its end-of-turn is "<|eot_id|>").
  std::optional<std::int32_t> bos_id() const;
  std::optional<std::int32_t> eos_id() const;

 private:
  struct Impl;
  explicit Tokenizer(std::shared_ptr<const Impl> impl);
  friend Tokenizer make_tokenizer(TokenizerSpec spec);
  std::shared_ptr<const Impl> impl_;
  TokenizerConfig config_;
};

// Llama 3's split pattern (also the default of BpeTrainOptions).
inline constexpr std::string_view kLlama3SplitPattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

struct BpeTrainOptions {
  int vocab_size = 8192;                    // special tokens, 256 bytes and the merged tokens
  std::vector<std::string> special_tokens;  // ids 0, 1, ... in this order
  std::optional<std::string> bos_token;     // one of special_tokens: encode_with_special puts it first
  std::string split_pattern = std::string(kLlama3SplitPattern);
  int min_frequency = 2;                    // a pair seen fewer times is not merged
};

// Learns a byte-level BPE from `texts` (Hugging Face's BpeTrainer order: the most frequent pair
// first, ties to the pair of smaller ids). Deterministic. Special tokens written in the texts are
// not learned from. Throws std::invalid_argument for options it cannot honour.
Tokenizer train_bpe(const std::vector<std::string>& texts, const BpeTrainOptions& options);

}  // namespace steper::bpe
