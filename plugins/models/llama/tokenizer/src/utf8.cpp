#include "utf8.hpp"

namespace steper::bpe {
namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

// The length of the well-formed sequence that starts at `pos`, or 0 with `pos` left where the
// maximal ill-formed subpart ends (Unicode 3.9, table 3-7).
std::size_t well_formed_length(std::string_view s, std::size_t& pos) {
  const auto lead = static_cast<unsigned char>(s[pos]);
  if (lead < 0x80) return 1;
  std::size_t continuation = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    continuation = 1;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    continuation = 2;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    continuation = 3;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    ++pos;
    return 0;
  }
  std::size_t next = pos + 1;
  for (std::size_t k = 0; k < continuation; ++k, ++next) {
    if (next >= s.size()) {
      pos = next;
      return 0;
    }
    const auto byte = static_cast<unsigned char>(s[next]);
    if (byte < low || byte > high) {
      pos = next;
      return 0;
    }
    low = 0x80;
    high = 0xBF;
  }
  return continuation + 1;
}

}  // namespace

bool is_valid_utf8(std::string_view bytes) {
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    const std::size_t length = well_formed_length(bytes, pos);
    if (length == 0) return false;
    pos += length;
  }
  return true;
}

void append_repaired_utf8(std::string& out, std::string_view bytes) {
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    const std::size_t start = pos;
    const std::size_t length = well_formed_length(bytes, pos);
    if (length == 0) {
      out.append(kReplacementCharacter);
    } else {
      out.append(bytes.substr(start, length));
      pos += length;
    }
  }
}

char32_t next_code_point(std::string_view utf8, std::size_t& pos) {
  const auto lead = static_cast<unsigned char>(utf8[pos++]);
  if (lead < 0x80) return lead;
  const int continuation = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : 1;
  char32_t code_point = lead & (0x3F >> continuation);
  for (int k = 0; k < continuation; ++k) {
    code_point = (code_point << 6) | (static_cast<unsigned char>(utf8[pos++]) & 0x3F);
  }
  return code_point;
}

char32_t previous_code_point(std::string_view utf8, std::size_t& end) {
  do {
    --end;
  } while (end > 0 && (static_cast<unsigned char>(utf8[end]) & 0xC0) == 0x80);
  std::size_t pos = end;
  return next_code_point(utf8, pos);
}

void append_utf8(std::string& out, char32_t code_point) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

bool is_white_space(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
         c == 0x205F || c == 0x3000;
}

}  // namespace steper::bpe
