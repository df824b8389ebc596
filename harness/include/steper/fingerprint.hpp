// Fingerprints for cache keys: of the files a plugin's settings name, for the plugins'
// fingerprint() hooks (a cached stage built from an older version of a file is then not
// reused), and of text.
#pragma once

#include <string>

namespace steper {

// "path=size:mtime;" for a file, with the modification time to the nanosecond; for a folder,
// the same for each regular file directly in it, in name order; "path=missing;" when absent.
std::string file_fingerprint(const std::string& path);

// A hash of text that is the same on every machine and run (cell ids, cache keys, file names):
// 64-bit FNV-1a, as 16 lower-case hex digits.
std::string stable_hash(const std::string& text);

}  // namespace steper
