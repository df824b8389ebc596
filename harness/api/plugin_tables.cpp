#include "plugin_tables.hpp"

#include <algorithm>
#include <iterator>
#include <stdexcept>
#include <string>

namespace steper {

bool is_plugin_table(std::string_view table) {
  return std::any_of(std::begin(kPluginTables), std::end(kPluginTables), [&](const auto& e) { return table == e.table; });
}

PluginKind plugin_kind_of_table(std::string_view table) {
  for (const auto& entry : kPluginTables)
    if (table == entry.table) return entry.kind;
  throw std::invalid_argument("[" + std::string(table) + "] names no plugin");
}

}  // namespace steper
