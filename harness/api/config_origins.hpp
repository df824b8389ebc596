// Where each value of an experiment was set (file, line, column, and the order of first
// declaration), which toml++ loses when nodes are copied or merged.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <map>
#include <string>

#include "steper/settings.hpp"

namespace steper {

// Where a value was set. An override's location is file "--set", line = the override's
// position among the --set arguments (1-based), column = the value's position in it.
// `order` ranks first declarations across files (base files first, then overrides); it
// recovers the declaration order that toml++'s sorted tables lose.
struct Origin {
  SourceLocation where;
  std::int64_t order = 0;
};

// Dotted key path ("retriever.bm25.k1", array elements "grid.seed[0]") -> origin.
using Origins = std::map<std::string, Origin>;

// Records the origin of `node` (as key `path`, written at `at`) and of everything inside it.
// `rank` orders the sources (one per file or override); `shift` maps toml++ positions.
struct OriginSource {
  std::string file;
  std::int64_t rank = 0;
  int line = 0;          // when set: every location gets this line
  int column_shift = 0;  // added to columns
};
void record_origins(const toml::node& node, const std::string& path, const toml::source_region& at,
                    const OriginSource& source, Origins& origins);
// Records `origin` for every key enclosing `dotted` that has none yet (tables a value creates).
void record_enclosing_origins(Origins& origins, const std::string& dotted, const Origin& origin);
// Copies the origins of `from` and of everything inside it to the same places under `to`.
void copy_origins(Origins& origins, const std::string& from, const std::string& to);

}  // namespace steper
