// The seal of a committed result file. HDF5's user block (the file's first 512 bytes, which
// libhdf5 skips) holds a text line naming the seal, the size of the rest of the file and a
// 64-bit checksum of it, written once the HDF5 file is closed. A reader checks the seal before
// libhdf5 parses a byte, so a damaged file (flipped bits, cut short, half copied, overwritten)
// is refused with a clear error rather than handed to a parser that may crash on it. What the
// seal cannot stop: a file crafted to carry a matching checksum (it only detects damage).
#pragma once

#include <cstddef>
#include <string>

namespace steper {

inline constexpr std::size_t kResultUserBlockBytes = 512;

// Writes the seal into the user block of the closed HDF5 file at `path` (created with a user
// block of kResultUserBlockBytes). Throws std::runtime_error naming the file.
void seal_result_file(const std::string& path);

enum class ResultSeal {
  sealed,    // the seal is there and matches the file
  unsealed,  // an HDF5 file from before seals (format_version 3 or less): read unchecked
};

// Checks the seal of `path`. Throws std::runtime_error naming the file when a seal is there
// and does not match ("is damaged"), or when the file starts with neither a seal nor HDF5's
// signature ("is not an HDF5 file").
ResultSeal check_result_seal(const std::string& path);

}  // namespace steper
