// A whole regular file mapped read-only into memory, optionally followed by zeroed padding
// (simdjson reads up to SIMDJSON_PADDING bytes past the end of a document it parses in place).
#pragma once

#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace steper::support {

// what(): "cannot <action> '<path>': <reason>"; reason() alone, for callers that name the file
// their own way.
class MappedFileError : public std::runtime_error {
 public:
  MappedFileError(const std::string& action, const std::filesystem::path& path, std::string reason)
      : std::runtime_error("cannot " + action + " '" + path.string() + "': " + reason), reason_(std::move(reason)) {}
  const std::string& reason() const { return reason_; }

 private:
  std::string reason_;
};

class MappedFile {
 public:
  enum class Access {
    random,  // pages are read when touched (an index searched here and there)
    whole,   // every page is read at once (a document parsed from start to end)
  };

  MappedFile() = default;
  // Refuses devices, pipes and sockets, and never blocks on opening one.
  explicit MappedFile(const std::filesystem::path& path, Access access = Access::random, std::size_t zero_padding = 0);
  ~MappedFile();
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const std::byte* data() const { return data_; }
  std::size_t size() const { return size_; }              // of the file
  std::size_t padded_size() const { return size_ + padding_; }  // the file, then zeroes
  std::string_view text() const { return {reinterpret_cast<const char*>(data_), size_}; }
  const std::filesystem::path& path() const { return path_; }

 private:
  void unmap() noexcept;

  std::filesystem::path path_;
  const std::byte* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t padding_ = 0;  // zero bytes readable after the file's last byte
  std::size_t mapped_ = 0;   // bytes of the mapping: whole pages holding the file and its padding
};

}  // namespace steper::support
