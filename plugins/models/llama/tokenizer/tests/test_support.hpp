// Shared by the tokenizer tests: tiny tokenizer.json documents and helpers that turn token
// spellings into ids (the temporary folder and file helpers come from tests/support).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bpe_tokenizer.hpp"
#include "byte_level.hpp"
#include "temporary_folder.hpp"

namespace steper::bpe::testing {

using steper::testing::read_file;
using steper::testing::TemporaryFolder;
using steper::testing::write_file;

// A byte-level BPE tokenizer.json: the 256 byte tokens (ids 0-255 in alphabet order), then
// `tokens` (byte-level spellings, ids 256 on), the `merges`, Llama 3's split pattern and
// pre-tokenizer, no added tokens, no post-processor.
inline nlohmann::json tiny_tokenizer_json(const std::vector<std::string>& tokens = {},
                                          const std::vector<std::string>& merges = {}) {
  nlohmann::json vocab = nlohmann::json::object();
  std::int32_t id = 0;
  for (const unsigned char byte : bytes_in_alphabet_order()) {
    vocab[to_byte_level(std::string(1, static_cast<char>(byte)))] = id++;
  }
  for (const std::string& token : tokens) vocab[token] = id++;
  return nlohmann::json{
      {"version", "1.0"},
      {"truncation", nullptr},
      {"padding", nullptr},
      {"added_tokens", nlohmann::json::array()},
      {"normalizer", nullptr},
      {"pre_tokenizer",
       {{"type", "Sequence"},
        {"pretokenizers",
         {{{"type", "Split"},
           {"pattern", {{"Regex", std::string(kLlama3SplitPattern)}}},
           {"behavior", "Isolated"},
           {"invert", false}},
          {{"type", "ByteLevel"},
           {"add_prefix_space", false},
           {"trim_offsets", true},
           {"use_regex", false}}}}}},
      {"post_processor", nullptr},
      {"decoder", {{"type", "ByteLevel"}, {"add_prefix_space", true}, {"trim_offsets", true}, {"use_regex", true}}},
      {"model",
       {{"type", "BPE"},
        {"dropout", nullptr},
        {"unk_token", nullptr},
        {"continuing_subword_prefix", nullptr},
        {"end_of_word_suffix", nullptr},
        {"fuse_unk", false},
        {"byte_fallback", false},
        {"ignore_merges", false},
        {"vocab", vocab},
        {"merges", merges}}}};
}

inline nlohmann::json added_token_json(std::int32_t id, const std::string& content, bool special = true) {
  return {{"id", id},         {"content", content}, {"single_word", false}, {"lstrip", false},
          {"rstrip", false},  {"normalized", false}, {"special", special}};
}

// Writes `document` into `folder` and loads it.
inline Tokenizer load_json(const TemporaryFolder& folder, const nlohmann::json& document) {
  const std::filesystem::path path = folder.path() / "tokenizer.json";
  write_file(path, document.dump());
  return Tokenizer::load(path);
}

// The ids of tokens given by their spelling ("Ġ" for a space byte, added tokens as written).
inline std::vector<std::int32_t> ids_of(const Tokenizer& tokenizer,
                                        const std::vector<std::string>& spellings) {
  std::vector<std::int32_t> ids;
  for (const std::string& spelling : spellings) {
    const std::optional<std::int32_t> id = tokenizer.token_id(spelling);
    if (!id) throw std::invalid_argument("no token \"" + spelling + "\"");
    ids.push_back(*id);
  }
  return ids;
}

// The spellings of `ids`, for readable failures.
inline std::vector<std::string> spellings_of(const Tokenizer& tokenizer,
                                             const std::vector<std::int32_t>& ids) {
  std::vector<std::string> spellings;
  for (const std::int32_t id : ids) spellings.push_back(tokenizer.token(id).value_or("<no token>"));
  return spellings;
}

// The message of the error that `action` throws, or "(no error)".
inline std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace steper::bpe::testing
