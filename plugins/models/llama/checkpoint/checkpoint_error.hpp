// The one error type of the checkpoint library. Every message names the file and, where there
// is one, the tensor or config key, with the value expected beside the value found.
#pragma once

#include <stdexcept>

namespace steper::checkpoint {

class CheckpointError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace steper::checkpoint
