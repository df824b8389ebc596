#include "bpe_tokenizer.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include "tokenizer_impl.hpp"
#include "tokenizer_json_read.hpp"
#include "tokenizer_json_write.hpp"

namespace steper::bpe {
namespace {

[[noreturn]] void fail(const std::filesystem::path& file, const std::string& message) {
  throw std::runtime_error(file.string() + ": " + message);
}

simdjson::padded_string read_file(const std::filesystem::path& file) {
  std::FILE* in = std::fopen(file.c_str(), "rb");
  if (in == nullptr) fail(file, std::string("cannot open: ") + std::strerror(errno));
  std::error_code size_error;
  const std::uintmax_t size = std::filesystem::file_size(file, size_error);
  if (size_error) {
    std::fclose(in);
    fail(file, "cannot read: " + size_error.message());
  }
  simdjson::padded_string bytes(size);
  const bool complete = std::fread(bytes.data(), 1, size, in) == size;
  const int read_errno = errno;
  std::fclose(in);
  if (!complete) fail(file, std::string("cannot read: ") + std::strerror(read_errno));
  return bytes;
}

// simdjson says what is wrong but not where; nlohmann's parser says where.
std::string json_error(const simdjson::padded_string& text, simdjson::error_code error) {
  try {
    const nlohmann::json parsed = nlohmann::json::parse(text.data(), text.data() + text.size());
  } catch (const nlohmann::json::parse_error& e) {
    return e.what();
  }
  return simdjson::error_message(error);  // nlohmann took it: a limit of simdjson's was hit
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

Tokenizer::Tokenizer(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

Tokenizer Tokenizer::load(const std::filesystem::path& tokenizer_json) {
  const simdjson::padded_string text = read_file(tokenizer_json);
  simdjson::dom::parser parser;
  simdjson::dom::element document;
  if (const auto error = parser.parse(text).get(document); error != simdjson::SUCCESS) {
    fail(tokenizer_json, "not valid JSON: " + json_error(text, error));
  }
  try {
    return make_tokenizer(read_tokenizer_spec(document));
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
  return impl_->decode(ids, skip_special);
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
