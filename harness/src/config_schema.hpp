// Internal: the top level of an experiment file: which keys exist and what each must hold.
#pragma once

#include <string>
#include <string_view>

#include "config_tree.hpp"

namespace steper {

bool is_top_level_key(std::string_view key);
// Tables given to a plugin or to the core as a whole ("dataset", "train", ...), not scalars.
bool is_top_level_table(std::string_view key);
std::string top_level_keys_text();  // "base, seed, experiment, ..." for messages

// Throws ConfigError at the first unknown top-level key, item of the wrong type, plugin
// table without a string `name`, or unknown / mistyped key in [experiment].
void check_top_level(const ConfigTree& tree);

}  // namespace steper
