#include "printable.hpp"

#include <fmt/format.h>

namespace steper {

std::string printable(std::string_view text, bool keep_lines) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte >= 0x20 && byte != 0x7f) || byte >= 0x80 || (keep_lines && (c == '\n' || c == '\t')))
      out += c;
    else
      out += fmt::format("\\x{:02x}", byte);
  }
  return out;
}

}  // namespace steper
