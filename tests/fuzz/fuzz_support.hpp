// What every fuzz target shares. The readers take paths, so each input is written to a file in a
// folder of the process's own; a reader may refuse its input only with std::runtime_error (its
// documented "bad file" error, naming the file): any other exception escapes to libFuzzer, which
// reports it as a finding, like a crash, a leak or a timeout.
#pragma once

#include <stdlib.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace steper::fuzz {

class ScratchFolder {
 public:
  ScratchFolder() {
    std::string pattern = (std::filesystem::temp_directory_path() / "steper-fuzz-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create a folder in " + pattern);
    path_ = pattern;
  }
  ~ScratchFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline const std::filesystem::path& scratch() {
  static const ScratchFolder folder;
  return folder.path();
}

// Writes `size` bytes to `name` in the scratch folder; returns its path.
inline std::string write_file(const std::string& name, const void* data, std::size_t size) {
  const std::filesystem::path path = scratch() / name;
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(static_cast<const char*>(data), size);
  return path.string();
}

// Runs one read; a refusal by std::runtime_error passes, anything else escapes.
template <class Read>
void read_or_refuse(Read&& read) {
  try {
    read();
  } catch (const std::runtime_error&) {
  }
}

}  // namespace steper::fuzz
