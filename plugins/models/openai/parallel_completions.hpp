// Completes a batch of requests, settings.concurrency at a time, each worker thread with its
// own connection.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "client_settings.hpp"
#include "completion_client.hpp"
#include "steper/types.hpp"

namespace steper::openai {

// One result per request, in order. on_retry is called from the worker threads.
std::vector<GenerationResult> complete_all(const ClientSettings& settings, const std::optional<std::string>& api_key,
                                           const std::vector<GenerationRequest>& requests,
                                           const CompletionClient::RetryNotice& on_retry);

}  // namespace steper::openai
