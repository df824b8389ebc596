#include "tensor_view.hpp"

namespace steper::checkpoint {

std::string format_shape(const std::vector<std::int64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) text += ", ";
    text += std::to_string(shape[i]);
  }
  return text + "]";
}

std::optional<std::uint64_t> tensor_byte_count(DType dtype, const std::vector<std::int64_t>& shape) {
  std::uint64_t count = dtype_size(dtype);
  for (const std::int64_t dim : shape) {
    if (dim < 0) return std::nullopt;
    if (__builtin_mul_overflow(count, static_cast<std::uint64_t>(dim), &count)) return std::nullopt;
  }
  return count;
}

}  // namespace steper::checkpoint
