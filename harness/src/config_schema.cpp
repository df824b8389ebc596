// The top-level schema of an experiment. Keys inside plugin and core tables are checked
// later, by whoever reads them through Settings (reject_unread).
#include "config_schema.hpp"

#include <algorithm>
#include <iterator>
#include <stdexcept>
#include <string>

#include "config_text.hpp"
#include "config_toml.hpp"
#include "plugin_tables.hpp"

namespace steper {
namespace {

enum class Holds { string, integer, table, plugin_table };

constexpr struct {
  const char* key;
  Holds holds;
} kTopLevelKeys[] = {
    {"base", Holds::string},
    {"seed", Holds::integer},
    {"experiment", Holds::table},
    {"dataset", Holds::plugin_table},
    {"retriever", Holds::plugin_table},
    {"framework", Holds::plugin_table},
    {"teacher", Holds::plugin_table},
    {"student", Holds::plugin_table},
    {"loss", Holds::plugin_table},
    {"train", Holds::table},
    {"pretrain", Holds::table},
    {"eval", Holds::table},
    {"run", Holds::table},
    {"grid", Holds::table},
};

constexpr struct {
  const char* key;
  toml::node_type type;
  const char* type_text;
} kExperimentKeys[] = {
    {"name", toml::node_type::string, "a string"},
    {"description", toml::node_type::string, "a string"},
    {"results_dir", toml::node_type::string, "a string"},
    {"cache_dir", toml::node_type::string, "a string"},
    {"plugin_path", toml::node_type::array, "an array of strings"},
};

const char* holds_text(Holds holds) {
  switch (holds) {
    case Holds::string:
      return "a string";
    case Holds::integer:
      return "an integer";
    case Holds::table:
    case Holds::plugin_table:
      break;
  }
  return "a table";
}

bool holds_match(Holds holds, const toml::node& node) {
  switch (holds) {
    case Holds::string:
      return node.is_string();
    case Holds::integer:
      return node.is_integer();
    case Holds::table:
    case Holds::plugin_table:
      break;
  }
  return node.is_table();
}

void check_plugin_table(const ConfigTree& tree, const std::string& key, const toml::table& table) {
  const std::string naming = std::string("a string naming the ") + to_string(plugin_kind_of_table(key)) + " plugin";
  const toml::node* name = table.get("name");
  if (!name) throw_config_error(tree.location(key), "table [" + key + "] needs key 'name' (" + naming + ")");
  if (!name->is_string())
    throw_config_error(tree.location(key + ".name"),
                       "key '" + key + ".name' must be " + naming + ", found " + describe(*name));
}

void check_experiment_table(const ConfigTree& tree, const toml::table& table) {
  std::string known;
  for (const auto& entry : kExperimentKeys) known += std::string(known.empty() ? "" : ", ") + entry.key;
  for (const auto& [key, value] : table) {
    const std::string_view name = key.str();
    const std::string path = join_key("experiment", name);
    const auto* entry = std::find_if(std::begin(kExperimentKeys), std::end(kExperimentKeys),
                                     [&](const auto& e) { return name == e.key; });
    if (entry == std::end(kExperimentKeys))
      throw_config_error(tree.location(path), "unknown key '" + path + "' (expected one of: " + known + ")");
    const toml::array* array = value.as_array();
    const bool all_strings = !array || array->empty() || array->is_homogeneous(toml::node_type::string);
    if (value.type() != entry->type || !all_strings)
      throw_config_error(tree.location(path),
                         "key '" + path + "' must be " + entry->type_text + ", found " + describe(value));
  }
}

}  // namespace

bool is_top_level_key(std::string_view key) {
  for (const auto& entry : kTopLevelKeys)
    if (key == entry.key) return true;
  return false;
}

bool is_top_level_table(std::string_view key) {
  for (const auto& entry : kTopLevelKeys)
    if (key == entry.key) return entry.holds == Holds::table || entry.holds == Holds::plugin_table;
  return false;
}

std::string top_level_keys_text() {
  std::string text;
  for (const auto& entry : kTopLevelKeys) text += std::string(text.empty() ? "" : ", ") + entry.key;
  return text;
}

void check_top_level(const ConfigTree& tree) {
  for (const auto& [key_node, value] : tree.config) {
    const std::string key(key_node.str());
    const auto* entry =
        std::find_if(std::begin(kTopLevelKeys), std::end(kTopLevelKeys), [&](const auto& e) { return key == e.key; });
    if (entry == std::end(kTopLevelKeys))
      throw_config_error(tree.location(key),
                         "unknown top-level key '" + key + "' (expected one of: " + top_level_keys_text() + ")");
    if (!holds_match(entry->holds, value))
      throw_config_error(tree.location(key),
                         "key '" + key + "' must be " + holds_text(entry->holds) + ", found " + describe(value));
    if (key == "seed" && *value.value<std::int64_t>() < 0)
      throw_config_error(tree.location(key), "key 'seed' = " + value_text(value) + ": expected an integer >= 0");
    if (entry->holds == Holds::plugin_table) check_plugin_table(tree, key, *value.as_table());
    if (key == "experiment") check_experiment_table(tree, *value.as_table());
  }
}

}  // namespace steper
