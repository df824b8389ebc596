#include "byte_level.hpp"

#include "utf8.hpp"

namespace steper::bpe {
namespace {

struct Alphabet {
  std::array<char32_t, 256> char_of_byte{};
  std::array<unsigned char, 256> bytes_in_order{};
  std::array<int, 512> byte_of_char{};  // every code point of the alphabet is below U+0200
};

bool shows_itself(unsigned byte) {
  return (byte >= '!' && byte <= '~') || (byte >= 0xA1 && byte <= 0xAC) || byte >= 0xAE;
}

Alphabet make_alphabet() {
  Alphabet a;
  a.byte_of_char.fill(-1);
  std::size_t next = 0;
  for (unsigned byte = 0; byte < 256; ++byte) {
    if (shows_itself(byte)) a.bytes_in_order[next++] = static_cast<unsigned char>(byte);
  }
  char32_t shifted = 0x100;
  for (unsigned byte = 0; byte < 256; ++byte) {
    if (!shows_itself(byte)) a.bytes_in_order[next++] = static_cast<unsigned char>(byte);
    a.char_of_byte[byte] = shows_itself(byte) ? byte : shifted++;
    a.byte_of_char[a.char_of_byte[byte]] = static_cast<int>(byte);
  }
  return a;
}

const Alphabet& alphabet() {
  static const Alphabet a = make_alphabet();
  return a;
}

}  // namespace

char32_t byte_to_char(unsigned char byte) { return alphabet().char_of_byte[byte]; }

const std::array<unsigned char, 256>& bytes_in_alphabet_order() {
  return alphabet().bytes_in_order;
}

std::string to_byte_level(std::string_view raw) {
  std::string out;
  out.reserve(raw.size() * 2);
  for (const char c : raw) append_utf8(out, byte_to_char(static_cast<unsigned char>(c)));
  return out;
}

std::optional<std::string> from_byte_level(std::string_view token) {
  if (!is_valid_utf8(token)) return std::nullopt;
  const Alphabet& a = alphabet();
  std::string raw;
  raw.reserve(token.size());
  std::size_t pos = 0;
  while (pos < token.size()) {
    const char32_t c = next_code_point(token, pos);
    if (c >= a.byte_of_char.size() || a.byte_of_char[c] < 0) return std::nullopt;
    raw.push_back(static_cast<char>(a.byte_of_char[c]));
  }
  return raw;
}

}  // namespace steper::bpe
