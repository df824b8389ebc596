// The experiment file's top-level tables that name a plugin with their `name` key.
#pragma once

#include <string_view>

#include "steper/api.hpp"

namespace steper {

inline constexpr struct {
  const char* table;
  PluginKind kind;
} kPluginTables[] = {
    {"dataset", PluginKind::dataset}, {"retriever", PluginKind::retriever}, {"framework", PluginKind::framework},
    {"teacher", PluginKind::model},   {"student", PluginKind::model},       {"loss", PluginKind::loss},
};
// The kind of plugin a top-level table names; throws std::invalid_argument for other tables.
PluginKind plugin_kind_of_table(std::string_view table);
// Whether a top-level key is one of kPluginTables.
bool is_plugin_table(std::string_view table);

}  // namespace steper
