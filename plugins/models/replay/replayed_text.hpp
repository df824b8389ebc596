// What a generation request lets through of a recorded output: the text before the first stop
// string, at most max_new_tokens words (replay has no tokenizer, so a word counts as a token).
#pragma once

#include <string>
#include <string_view>

#include "steper/types.hpp"

namespace steper::replay {

// The recorded output as the request would have received it: finish_reason "stop" (cut at a
// stop string), "length" (cut at max_new_tokens words) or "eos" (the whole output).
GenerationResult replayed_text(const std::string& output, const GenerationRequest& request);

}  // namespace steper::replay
