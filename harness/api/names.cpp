// String forms of the enums in the public headers, each from its one table.
#include <stdexcept>
#include <string>

#include "steper/api.hpp"
#include "steper/types.hpp"

namespace steper {
namespace {

template <class Table, class Enum>
const char* name_of(const Table& table, Enum value) {
  for (const auto& entry : table)
    if (entry.kind == value) return entry.name;
  return "?";
}

template <class Enum, class Table>
Enum value_of(const Table& table, std::string_view name, const char* what) {
  std::string valid;
  for (const auto& entry : table) {
    if (name == entry.name) return entry.kind;
    valid += valid.empty() ? "" : ", ";
    valid += entry.name;
  }
  throw std::invalid_argument("unknown " + std::string(what) + " '" + std::string(name) + "' (expected one of: " + valid + ")");
}

constexpr struct {
  Split kind;
  const char* name;
} kSplitNames[] = {{Split::train, "train"}, {Split::dev, "dev"}, {Split::test, "test"}};

}  // namespace

const char* to_string(PluginKind kind) { return name_of(kPluginKindNames, kind); }
PluginKind plugin_kind_from_string(std::string_view name) {
  return value_of<PluginKind>(kPluginKindNames, name, "plugin kind");
}
const char* to_string(StepKind kind) { return name_of(kStepKindNames, kind); }
StepKind step_kind_from_string(std::string_view name) {
  return value_of<StepKind>(kStepKindNames, name, "step kind");
}
const char* to_string(Split split) { return name_of(kSplitNames, split); }
Split split_from_string(std::string_view name) { return value_of<Split>(kSplitNames, name, "split"); }

}  // namespace steper
