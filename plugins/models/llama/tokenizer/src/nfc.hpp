// Unicode normalization form C (the `NFC` normalizer of tokenizer.json), through ICU.
#pragma once

#include <string>
#include <string_view>

namespace steper::bpe {

// `utf8` must be valid UTF-8.
std::string to_nfc(std::string_view utf8);

}  // namespace steper::bpe
