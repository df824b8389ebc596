// Reads the parts of a parsed tokenizer.json into a TokenizerSpec.
#pragma once

#include <simdjson.h>

#include "tokenizer_spec.hpp"

namespace steper::bpe {

// Throws std::invalid_argument naming the JSON path, what was expected and what was found, also
// for types this library does not support.
TokenizerSpec read_tokenizer_spec(simdjson::dom::element document);

}  // namespace steper::bpe
