// A read-only POSIX memory map of a whole file.
#pragma once

#include <cstddef>
#include <filesystem>

namespace steper::checkpoint {

class MappedFile {
 public:
  explicit MappedFile(const std::filesystem::path& path);  // throws CheckpointError naming the path
  ~MappedFile();
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const std::byte* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  void unmap() noexcept;

  const std::byte* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace steper::checkpoint
