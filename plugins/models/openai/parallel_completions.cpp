#include "parallel_completions.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

namespace steper::openai {

std::vector<GenerationResult> complete_all(const ClientSettings& settings, const std::optional<std::string>& api_key,
                                           const std::vector<GenerationRequest>& requests,
                                           const CompletionClient::RetryNotice& on_retry) {
  std::vector<GenerationResult> results(requests.size());
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;  // only from a bug or out of memory: server failures are results
  std::mutex failure_mutex;
  const auto work = [&] {
    try {
      CompletionClient client(settings, api_key, on_retry);
      for (std::size_t i = next++; i < requests.size(); i = next++) results[i] = client.complete(requests[i]);
    } catch (...) {
      const std::lock_guard<std::mutex> lock(failure_mutex);
      if (!failure) failure = std::current_exception();
    }
  };
  const std::size_t workers = std::min<std::size_t>(settings.concurrency, requests.size());
  std::vector<std::thread> threads;
  for (std::size_t w = 1; w < workers; ++w) threads.emplace_back(work);
  if (workers > 0) work();
  for (std::thread& thread : threads) thread.join();
  if (failure) std::rethrow_exception(failure);
  return results;
}

}  // namespace steper::openai
