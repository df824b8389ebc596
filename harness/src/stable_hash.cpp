#include "stable_hash.hpp"

#include <cstdint>
#include <cstdio>

namespace steper {

std::string stable_hash(const std::string& text) {
  std::uint64_t hash = 14695981039346656037ull;  // FNV-1a 64-bit offset basis and prime
  for (unsigned char byte : text) {
    hash ^= byte;
    hash *= 1099511628211ull;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return hex;
}

}  // namespace steper
