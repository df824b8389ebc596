// A whole file mapped read-only into memory with the zeroed padding simdjson reads past the
// end, so a JSON document is parsed in place without a copy.
#pragma once

#include <cstddef>
#include <string>

#include <simdjson.h>

namespace steper::datasets {

class MappedFile {
 public:
  explicit MappedFile(const std::string& path);  // throws std::runtime_error naming the path
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  simdjson::padded_string_view bytes() const { return simdjson::padded_string_view(data_, size_, mapped_); }

 private:
  char* data_ = nullptr;
  std::size_t size_ = 0;    // of the file
  std::size_t mapped_ = 0;  // of the mapping: the file plus at least SIMDJSON_PADDING zero bytes
};

}  // namespace steper::datasets
