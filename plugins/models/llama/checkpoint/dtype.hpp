// The element types a safetensors file can hold, with their names in the file format.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace steper::checkpoint {

enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL };

std::string_view to_string(DType dtype);                      // "F32", "BF16", ...
std::optional<DType> dtype_from_string(std::string_view name);  // nullopt for a name not in the table
std::size_t dtype_size(DType dtype);                          // bytes per element
std::string known_dtype_names();                              // "F64, F32, ..." for error messages

}  // namespace steper::checkpoint
