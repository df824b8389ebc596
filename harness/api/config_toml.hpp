// Helpers over toml++ nodes: configuration errors at a location, dotted keys, deep merge.
#pragma once

#include <toml++/toml.h>

#include <string>
#include <string_view>
#include <vector>

#include "steper/settings.hpp"

namespace steper {

[[noreturn]] void throw_config_error(const SourceLocation& where, const std::string& message);


std::vector<std::string> split_key(std::string_view dotted);
std::string join_key(const std::string& prefix, std::string_view key);
// "a.b" is `key` or lies under it ("a.b.c", "a.b[0]").
bool key_within(const std::string& path, const std::string& key);

// The node at a dotted path; nullptr when any part is absent or an enclosing value is no table.
const toml::node* node_at(const toml::table& root, const std::string& dotted);
// Sets `value` at a dotted path, creating tables on the way; a table merges into a table.
void set_at(toml::table& root, const std::string& dotted, const toml::node& value);
// Deep merge: tables merge key by key, anything else from `from` replaces.
void merge_into(toml::table& into, const toml::table& from);
// Throws ConfigError at `where` when a key enclosing `dotted` holds something other than a table.
void check_key_inside_tables(const toml::table& root, const std::string& dotted, const SourceLocation& where);

}  // namespace steper
