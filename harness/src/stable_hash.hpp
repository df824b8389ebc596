// A hash of text that is the same on every machine and run: cell ids, cache keys, file names.
#pragma once

#include <string>

namespace steper {

// 64-bit FNV-1a of text, as 16 lower-case hex digits.
std::string stable_hash(const std::string& text);

}  // namespace steper
