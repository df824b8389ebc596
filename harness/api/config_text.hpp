// Configuration values as text: canonical TOML (which cell ids hash) and the words of errors.
#pragma once

#include <toml++/toml.h>

#include <string>
#include <string_view>

namespace steper {

bool is_bare_key(std::string_view key);              // needs no quotes: A-Z a-z 0-9 _ -
std::string type_name(const toml::node& node);       // "an integer", "a string", "a table", ...
std::string value_text(const toml::node& node);      // inline TOML: 3, "steper", [1, 2], { a = 1 }
std::string describe(const toml::node& node);        // type and value: a string ("four")
std::string to_toml_text(const toml::table& table);  // canonical document text

}  // namespace steper
