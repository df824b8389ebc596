// Writing a safetensors file that the reference implementation (Python/Rust `safetensors`) reads:
// tensors back to back with no gaps, the header padded with spaces to a multiple of 8 bytes.
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "atomic_file.hpp"
#include "checkpoint_error.hpp"
#include "safetensors.hpp"

namespace steper::checkpoint {
namespace {

using nlohmann::json;

[[noreturn]] void fail_tensor(const std::filesystem::path& path, std::string_view name, const std::string& problem) {
  throw CheckpointError(fmt::format("writing safetensors file '{}': tensor '{}': {}", path.string(), name, problem));
}

void check_tensor(const TensorView& tensor, const std::filesystem::path& path) {
  if (tensor.name == "__metadata__") fail_tensor(path, tensor.name, "the name is reserved for the file's metadata");
  const auto expected = tensor_byte_count(tensor.dtype, tensor.shape);
  if (!expected || *expected != tensor.bytes.size) {
    fail_tensor(path, tensor.name, fmt::format("{} bytes given, but dtype {} and shape {} need {}", tensor.bytes.size,
                                               to_string(tensor.dtype), format_shape(tensor.shape),
                                               expected ? std::to_string(*expected) : std::string("more than 2^64")));
  }
  if (tensor.bytes.data == nullptr && tensor.bytes.size > 0) fail_tensor(path, tensor.name, "the data pointer is null");
}

std::string header_text(const std::vector<TensorView>& tensors, const std::map<std::string, std::string>& metadata,
                        const std::filesystem::path& path) {
  json header = json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  std::set<std::string_view> names;
  std::uint64_t offset = 0;
  for (const TensorView& tensor : tensors) {
    check_tensor(tensor, path);
    if (!names.insert(tensor.name).second) fail_tensor(path, tensor.name, "given twice");
    header[tensor.name] = {{"dtype", to_string(tensor.dtype)},
                           {"shape", tensor.shape},
                           {"data_offsets", {offset, offset + tensor.bytes.size}}};
    offset += tensor.bytes.size;
  }
  std::string text;
  try {
    text = header.dump();
  } catch (const json::exception& e) {
    throw CheckpointError(fmt::format("writing safetensors file '{}': a tensor name or metadata text is not UTF-8: {}",
                                      path.string(), e.what()));
  }
  text.append((8 - text.size() % 8) % 8, ' ');
  return text;
}

}  // namespace

void write_safetensors(const std::filesystem::path& path, const std::vector<TensorView>& tensors,
                       const std::map<std::string, std::string>& metadata) {
  const std::string header = header_text(tensors, metadata, path);
  std::byte length[8];
  for (std::size_t i = 0; i < 8; ++i) length[i] = static_cast<std::byte>((header.size() >> (8 * i)) & 0xff);

  AtomicFile file(path);
  file.write(length, sizeof length);
  file.write(header);
  for (const TensorView& tensor : tensors) file.write(tensor.bytes.data, tensor.bytes.size);
  file.commit();
}

}  // namespace steper::checkpoint
