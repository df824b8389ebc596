// The safetensors format: an 8-byte little-endian header length N, N bytes of JSON
// {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {string: string}},
// then the data buffer that the offsets index.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "plugin_support/mapped_file.hpp"
#include "tensor_view.hpp"

namespace steper::checkpoint {

// Larger headers are refused as damaged, as the reference implementation does.
constexpr std::uint64_t kMaxHeaderBytes = 100'000'000;

// One memory-mapped safetensors file whose header has been checked in full. Tensor views stay
// valid while the object lives, moves included.
class SafetensorsFile {
 public:
  // Throws CheckpointError naming the file and, where there is one, the tensor.
  static SafetensorsFile open(const std::filesystem::path& path);

  const TensorView* find(std::string_view name) const;  // nullptr when absent
  const std::vector<TensorView>& tensors() const { return tensors_; }  // in data order
  const std::map<std::string, std::string>& metadata() const { return metadata_; }  // "__metadata__"
  const std::filesystem::path& path() const { return path_; }

 private:
  SafetensorsFile(std::filesystem::path path, support::MappedFile file);

  std::filesystem::path path_;
  support::MappedFile file_;
  std::vector<TensorView> tensors_;
  std::map<std::string, std::size_t, std::less<>> index_;  // name -> position in tensors_
  std::map<std::string, std::string> metadata_;
};

// Writes the tensors in the order given, back to back, through a temporary file renamed into
// place. The header is padded with spaces to a multiple of 8 bytes, so the data buffer starts
// 8-byte aligned. Throws CheckpointError for a duplicate name, bytes that do not match
// dtype and shape, or a failed write.
void write_safetensors(const std::filesystem::path& path, const std::vector<TensorView>& tensors,
                       const std::map<std::string, std::string>& metadata);

}  // namespace steper::checkpoint
