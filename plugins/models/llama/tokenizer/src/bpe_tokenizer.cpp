#include "bpe_tokenizer.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include "json_cursor.hpp"
#include "plugin_support/mapped_file.hpp"
#include "tokenizer_impl.hpp"
#include "tokenizer_json_read.hpp"
#include "tokenizer_json_write.hpp"

namespace steper::bpe {
namespace {

[[noreturn]] void fail(const std::filesystem::path& file, const std::string& message) {
  throw std::runtime_error(file.string() + ": " + message);
}

// A tokenizer.json far past any published one (Llama 3's is 9 MB); a larger file is a mistake.
constexpr std::uintmax_t kMaxTokenizerBytes = std::uintmax_t{256} << 20;

// The whole of `file`, padded for simdjson: only a regular file (a pipe would block, a device
// never end) of at most `max_size` bytes.
support::MappedFile map_file(const std::filesystem::path& file, std::uintmax_t max_size) {
  support::MappedFile mapped;
  try {
    mapped = support::MappedFile(file, support::MappedFile::Access::random, simdjson::SIMDJSON_PADDING);
  } catch (const support::MappedFileError& e) {
    fail(file, "cannot read: " + e.reason());
  }
  if (mapped.size() > max_size)
    fail(file, "too large: " + std::to_string(mapped.size()) + " bytes (at most " + std::to_string(max_size) + ")");
  return mapped;
}

// simdjson says what is wrong but not where; nlohmann's parser says where.
std::string json_error(std::string_view text, simdjson::error_code error) {
  try {
    const nlohmann::json parsed = nlohmann::json::parse(text.data(), text.data() + text.size());
  } catch (const nlohmann::json::exception& e) {  // parse_error, and out_of_range for a number too large
    return e.what();
  }
  return simdjson::error_message(error);  // nlohmann took it: a limit of simdjson's was hit
}

// Parses `file` as JSON; `document` lives in `parser` (which copies what it keeps).
simdjson::dom::element parse_file(const std::filesystem::path& file, simdjson::dom::parser& parser,
                                  std::uintmax_t max_size) {
  const support::MappedFile text = map_file(file, max_size);
  simdjson::dom::element document;
  const simdjson::padded_string_view padded(text.text().data(), text.size(), text.padded_size());
  if (const auto error = parser.parse(padded).get(document); error != simdjson::SUCCESS) {
    fail(file, "not valid JSON: " + json_error(text.text(), error));
  }
  return document;
}

void write_file_atomically(const std::filesystem::path& file, const std::string& text) {
  std::filesystem::path temporary = file;
  temporary += ".tmp";
  std::FILE* out = std::fopen(temporary.c_str(), "wb");
  if (out == nullptr) fail(temporary, std::string("cannot create: ") + std::strerror(errno));
  const bool written = std::fwrite(text.data(), 1, text.size(), out) == text.size();
  const int write_errno = errno;
  const bool closed = std::fclose(out) == 0;
  if (!written || !closed) {
    std::remove(temporary.c_str());
    fail(temporary, std::string("cannot write: ") + std::strerror(written ? errno : write_errno));
  }
  if (std::rename(temporary.c_str(), file.c_str()) != 0) {
    const int rename_errno = errno;
    std::remove(temporary.c_str());
    fail(file, "cannot replace with " + temporary.string() + ": " + std::strerror(rename_errno));
  }
}

}  // namespace

TokenizerConfig read_tokenizer_config(const std::filesystem::path& tokenizer_config_json) {
  TokenizerConfig config;
  std::error_code error;
  if (!std::filesystem::exists(tokenizer_config_json, error)) {
    if (error) fail(tokenizer_config_json, "cannot read: " + error.message());
    return config;
  }
  constexpr std::uintmax_t kMaxBytes = std::uintmax_t{64} << 20;  // real ones are tens of KB
  simdjson::dom::parser parser;
  const JsonCursor root(parse_file(tokenizer_config_json, parser, kMaxBytes));
  try {
    config.clean_up_tokenization_spaces = root.boolean_or("clean_up_tokenization_spaces", false);
  } catch (const std::invalid_argument& e) {
    fail(tokenizer_config_json, e.what());
  }
  return config;
}

std::string clean_up_tokenization(std::string text) {
  // In transformers' order, each replacing every occurrence left to right as Python's str.replace.
  static constexpr std::pair<std::string_view, std::string_view> kReplacements[] = {
      {" .", "."},     {" ?", "?"},   {" !", "!"},   {" ,", ","},     {" ' ", "'"},
      {" n't", "n't"}, {" 'm", "'m"}, {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"}};
  for (const auto& [from, to] : kReplacements) {
    if (text.find(from) == std::string::npos) continue;
    std::string replaced;
    std::size_t start = 0;
    for (std::size_t at; (at = text.find(from, start)) != std::string::npos; start = at + from.size()) {
      replaced.append(text, start, at - start).append(to);
    }
    replaced.append(text, start);
    text = std::move(replaced);
  }
  return text;
}

Tokenizer::Tokenizer(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

Tokenizer Tokenizer::load(const std::filesystem::path& tokenizer_json, const TokenizerConfig& config) {
  simdjson::dom::parser parser;
  const simdjson::dom::element document = parse_file(tokenizer_json, parser, kMaxTokenizerBytes);
  try {
    Tokenizer tokenizer = make_tokenizer(read_tokenizer_spec(document));
    tokenizer.config_ = config;
    return tokenizer;
  } catch (const std::invalid_argument& e) {
    fail(tokenizer_json, e.what());
  }
}

void Tokenizer::save(const std::filesystem::path& tokenizer_json) const {
  write_file_atomically(tokenizer_json, tokenizer_json_text(impl_->spec));
}

std::vector<std::int32_t> Tokenizer::encode(std::string_view text) const {
  std::vector<std::int32_t> ids;
  impl_->encode(text, ids);
  return ids;
}

std::vector<std::int32_t> Tokenizer::encode_with_special(std::string_view text) const {
  std::vector<std::int32_t> ids = impl_->prefix_ids;
  impl_->encode(text, ids);
  ids.insert(ids.end(), impl_->suffix_ids.begin(), impl_->suffix_ids.end());
  return ids;
}

std::string Tokenizer::decode(const std::vector<std::int32_t>& ids, bool skip_special) const {
  std::string text = impl_->decode(ids, skip_special);
  return config_.clean_up_tokenization_spaces ? clean_up_tokenization(std::move(text)) : text;
}

std::int32_t Tokenizer::vocab_size() const { return impl_->vocab_size; }

std::optional<std::int32_t> Tokenizer::token_id(std::string_view token) const {
  const auto it = impl_->id_of_token.find(token);
  if (it == impl_->id_of_token.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> Tokenizer::token(std::int32_t id) const {
  if (id < 0 || id >= impl_->vocab_size) return std::nullopt;
  if (const std::int32_t added = impl_->added_of_id[id]; added >= 0) {
    return impl_->spec.added_tokens[added].content;
  }
  const auto& vocab = impl_->spec.model.vocab;
  const auto it = std::lower_bound(vocab.begin(), vocab.end(), id,
                                   [](const auto& entry, std::int32_t v) { return entry.second < v; });
  if (it == vocab.end() || it->second != id) return std::nullopt;
  return it->first;
}

bool Tokenizer::is_special(std::int32_t id) const {
  if (id < 0 || id >= impl_->vocab_size) return false;
  const std::int32_t added = impl_->added_of_id[id];
  return added >= 0 && impl_->spec.added_tokens[added].special;
}

std::optional<std::int32_t> Tokenizer::bos_id() const {
  if (impl_->prefix_ids.empty()) return std::nullopt;
  return impl_->prefix_ids.front();
}

std::optional<std::int32_t> Tokenizer::eos_id() const {
  if (impl_->suffix_ids.empty()) return std::nullopt;
  return impl_->suffix_ids.back();
}

}  // namespace steper::bpe
