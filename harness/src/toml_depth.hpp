// How deep a TOML text nests its tables and arrays, measured before toml++ parses it: toml++
// limits nested inline values but not dotted keys (`a.a.a...`), and recurses once per level,
// so a hostile file nested 100k levels deep would overflow the stack inside the library.
#pragma once

#include <string>
#include <string_view>

namespace steper {

// The deepest a well-meant experiment file could need, with a wide margin.
constexpr int kMaxTomlDepth = 128;

// Throws ConfigError("<file>:<line>:<column>: ...") at the first place `text` nests deeper than
// kMaxTomlDepth tables and arrays (dotted-key parts, table headers and inline values together).
void check_toml_depth(std::string_view text, const std::string& file);

}  // namespace steper
