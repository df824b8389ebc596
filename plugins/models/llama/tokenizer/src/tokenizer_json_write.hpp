// Writes a TokenizerSpec as tokenizer.json text in Hugging Face's layout.
#pragma once

#include <string>

#include "tokenizer_spec.hpp"

namespace steper::bpe {

std::string tokenizer_json_text(const TokenizerSpec& spec);

}  // namespace steper::bpe
