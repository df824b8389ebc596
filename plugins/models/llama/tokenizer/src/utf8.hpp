// UTF-8 helpers: repairing ill-formed input the way the WHATWG decoder (JS TextDecoder) and
// Rust's String::from_utf8_lossy do, walking code points, Unicode White_Space.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace steper::bpe {

bool is_valid_utf8(std::string_view bytes);

// Appends `bytes` to `out` with every maximal ill-formed subsequence replaced by U+FFFD.
void append_repaired_utf8(std::string& out, std::string_view bytes);

// The code point that starts at `pos` in valid UTF-8; advances `pos` past it.
char32_t next_code_point(std::string_view utf8, std::size_t& pos);
// The code point that ends at `end` in valid UTF-8; moves `end` back to its first byte.
char32_t previous_code_point(std::string_view utf8, std::size_t& end);

void append_utf8(std::string& out, char32_t code_point);

// Unicode's White_Space property (what Rust's char::is_whitespace tests).
bool is_white_space(char32_t code_point);

}  // namespace steper::bpe
