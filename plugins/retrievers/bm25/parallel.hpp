// Runs independent tasks on a few threads.
#pragma once

#include <cstddef>
#include <functional>

namespace steper::bm25 {

// Calls task(i) for every i in [0, count) on up to `threads` threads (the caller's among them)
// and returns when all are done; rethrows the first exception a task threw.
void parallel_for(std::size_t count, int threads, const std::function<void(std::size_t)>& task);

}  // namespace steper::bm25
