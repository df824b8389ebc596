// Writing a file through "<path>.tmp" renamed into place, so no reader ever sees half a file.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string_view>

namespace steper::checkpoint {

class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path path);  // creates "<path>.tmp"; throws CheckpointError
  ~AtomicFile();                                    // removes the temporary unless committed
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(const std::byte* data, std::size_t size);
  void write(std::string_view text) { write(reinterpret_cast<const std::byte*>(text.data()), text.size()); }
  void commit();  // closes the temporary and renames it to the final path

 private:
  std::filesystem::path path_;
  std::filesystem::path temporary_;
  int fd_ = -1;
};

void write_text_file(const std::filesystem::path& path, std::string_view text);

}  // namespace steper::checkpoint
