// Internal: the parsed configuration behind an Experiment, a Cell and their Settings views,
// with the provenance toml++ loses when nodes are copied, plus helpers over toml++ nodes.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

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

struct ConfigTree {
  std::string file;  // the experiment file, as given
  toml::table config;
  Origins origins;

  // Bookkeeping shared by every Settings view of one cell.
  std::vector<std::string> read_order;  // full dotted keys, in the order first read
  std::set<std::string> read;
  toml::table resolved;  // every key read, with the value used (given or default)
  std::set<std::string> grid_named_plugins;  // plugin tables whose `name` alone a grid value sets

  // Origin of `path`, else of its closest enclosing key that has one, else the file.
  SourceLocation location(const std::string& path) const;
  // Marks a key as read and records the value used.
  void record_read(const std::string& path, const toml::node* value);
  // Whether `path` or anything below it was read.
  bool touched(const std::string& path) const;
};

struct Settings::Impl {
  std::shared_ptr<ConfigTree> tree;
  std::string path;  // dotted path of the viewed table
};

[[noreturn]] void throw_config_error(const SourceLocation& where, const std::string& message);

// ---- dotted keys
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

// ---- text
bool is_bare_key(std::string_view key);              // needs no quotes: A-Z a-z 0-9 _ -
std::string type_name(const toml::node& node);       // "an integer", "a string", "a table", ...
std::string value_text(const toml::node& node);      // inline TOML: 3, "steper", [1, 2], { a = 1 }
std::string describe(const toml::node& node);        // type and value: a string ("four")
std::string to_toml_text(const toml::table& table);  // canonical document text
std::string identity_text(const toml::table& config);  // the same without [experiment]

// ---- provenance
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
