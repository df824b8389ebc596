// GPT-2's byte-level alphabet: every byte is shown as one printable code point (printable
// Latin-1 bytes as themselves, the others as U+0100 onwards), so that vocabulary strings such as
// "Ġthe" stand for raw bytes (" the").
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace steper::bpe {

char32_t byte_to_char(unsigned char byte);

// The 256 bytes ordered by the code point that shows them (the order of GPT-2's vocabulary and
// of Hugging Face's BPE trainer).
const std::array<unsigned char, 256>& bytes_in_alphabet_order();

// The byte-level string that shows `raw` bytes.
std::string to_byte_level(std::string_view raw);
// The raw bytes a byte-level string stands for; nullopt when a code point lies outside the
// alphabet (added tokens such as "<|eot_id|>" are plain text, not byte-level strings).
std::optional<std::string> from_byte_level(std::string_view token);

}  // namespace steper::bpe
