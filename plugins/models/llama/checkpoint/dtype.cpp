#include "dtype.hpp"

#include <array>

namespace steper::checkpoint {
namespace {

struct DTypeRow {
  DType dtype;
  std::string_view name;
  std::size_t size;
};

constexpr std::array<DTypeRow, 10> kDTypes{{
    {DType::F64,  "F64",  8},
    {DType::F32,  "F32",  4},
    {DType::F16,  "F16",  2},
    {DType::BF16, "BF16", 2},
    {DType::I64,  "I64",  8},
    {DType::I32,  "I32",  4},
    {DType::I16,  "I16",  2},
    {DType::I8,   "I8",   1},
    {DType::U8,   "U8",   1},
    {DType::BOOL, "BOOL", 1},
}};

// Rows sit in enumerator order, so a DType indexes its row directly.
constexpr bool rows_follow_enum_order() {
  for (std::size_t i = 0; i < kDTypes.size(); ++i) {
    if (static_cast<std::size_t>(kDTypes[i].dtype) != i) return false;
  }
  return true;
}
static_assert(rows_follow_enum_order());

const DTypeRow& row_of(DType dtype) { return kDTypes[static_cast<std::size_t>(dtype)]; }

}  // namespace

std::string_view to_string(DType dtype) { return row_of(dtype).name; }

std::size_t dtype_size(DType dtype) { return row_of(dtype).size; }

std::optional<DType> dtype_from_string(std::string_view name) {
  for (const DTypeRow& row : kDTypes) {
    if (row.name == name) return row.dtype;
  }
  return std::nullopt;
}

std::string known_dtype_names() {
  std::string names;
  for (const DTypeRow& row : kDTypes) {
    if (!names.empty()) names += ", ";
    names += row.name;
  }
  return names;
}

}  // namespace steper::checkpoint
