// Internal: reading experiment files (with `base` inheritance) and --set overrides.
#pragma once

#include <cstdint>
#include <string>

#include "config_tree.hpp"

namespace steper {

// Reads `file` and the chain of `base` files it names into tree.config (merged, child wins,
// `base` removed) and tree.origins. Returns how many files were read.
std::int64_t load_experiment_files(const std::string& file, ConfigTree& tree);

// One --set argument: "dotted.key=VALUE".
struct Override {
  std::string argument;
  std::string key;
  SourceLocation where;  // of the value
  toml::table holder;    // {v = VALUE}: toml++ nodes are abstract, a table owns one
  const toml::node& value() const { return *holder.get("v"); }
};

// Parses argument number `index` (0-based) and records the value's origins under its key
// with provenance rank `rank`. VALUE is TOML; a bare word without quotes or brackets is a string.
Override parse_override(const std::string& argument, int index, std::int64_t rank, Origins& origins);

}  // namespace steper
