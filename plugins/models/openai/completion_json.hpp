// The JSON of POST /v1/completions: the request body made from a GenerationRequest, and the
// answer read back into a GenerationResult.
#pragma once

#include <string>

#include "client_settings.hpp"
#include "steper/types.hpp"

namespace steper::openai {

// {model, prompt, max_tokens, temperature, top_p, seed, stop}: max_tokens is the request's,
// capped by settings.max_tokens; stop holds the request's stop strings, then the settings'.
std::string completion_body(const ClientSettings& settings, const GenerationRequest& request);

// choices[0].text, usage and finish_reason; finish_reason "error" (with `error` quoting the
// body) when the body is not a completion. Token counts the server omits are counted in words.
GenerationResult parse_completion(const std::string& body, const GenerationRequest& request);

// The start of a body for an error message: at most 200 characters, line breaks as spaces.
std::string body_snippet(const std::string& body);

}  // namespace steper::openai
