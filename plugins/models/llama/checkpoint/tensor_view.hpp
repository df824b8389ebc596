// A tensor as the checkpoint files hold it: name, element type, shape and raw little-endian
// bytes. Reading yields views into a memory map; writing takes views of the caller's memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dtype.hpp"

namespace steper::checkpoint {

// Bytes owned elsewhere (C++17 stand-in for std::span<const std::byte>).
struct ByteSpan {
  const std::byte* data = nullptr;
  std::size_t size = 0;
};

struct TensorView {
  std::string name;
  DType dtype = DType::F32;
  std::vector<std::int64_t> shape;  // empty for a scalar
  ByteSpan bytes;                   // size == tensor_byte_count(dtype, shape)
};

// "[4096, 128]"; "[]" for a scalar.
std::string format_shape(const std::vector<std::int64_t>& shape);
// product(shape) * dtype_size(dtype); nullopt when a dimension is negative or the product overflows.
std::optional<std::uint64_t> tensor_byte_count(DType dtype, const std::vector<std::int64_t>& shape);

}  // namespace steper::checkpoint
