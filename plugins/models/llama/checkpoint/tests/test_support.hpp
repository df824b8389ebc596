// Shared by the checkpoint tests: raw safetensors files and error capture (the temporary folder
// and file helpers come from tests/support).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "checkpoint_error.hpp"
#include "temporary_folder.hpp"

namespace steper::checkpoint::testing {

using steper::testing::read_file;
using steper::testing::TemporaryFolder;
using steper::testing::write_file;

// The 8-byte little-endian length prefix of a safetensors header.
inline std::string length_prefix(std::uint64_t length) {
  std::string prefix(8, '\0');
  for (int i = 0; i < 8; ++i) prefix[i] = static_cast<char>((length >> (8 * i)) & 0xff);
  return prefix;
}

// A safetensors file with the given header text and `data_bytes` zero bytes of data.
inline void write_raw_safetensors(const std::filesystem::path& path, const std::string& header, std::size_t data_bytes) {
  write_file(path, length_prefix(header.size()) + header + std::string(data_bytes, '\0'));
}

// The message of the CheckpointError `action` throws; fails the test when it throws none.
inline std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const CheckpointError& e) {
    return e.what();
  }
  return "(no CheckpointError thrown)";
}

}  // namespace steper::checkpoint::testing
