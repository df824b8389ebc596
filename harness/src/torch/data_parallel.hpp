// Data-parallel training over PyTorch's c10d: a TCPStore rendezvous and a Gloo process group on
// CPU. Every rank holds a full copy of the model; parameters start equal (broadcast from rank 0)
// and stay equal because every rank applies the same averaged gradients.
#pragma once

#include <ATen/core/Tensor.h>

#include <memory>
#include <vector>

#include "process_group_settings.hpp"

namespace steper {

// One process's membership in the group. All ranks must call the collectives in the same order
// with tensors of the same shapes. A collective that does not finish within the timeout, or
// whose peer went away, throws std::runtime_error naming the collective and this rank; it never
// hangs. After such an error the group is unusable: the process should exit.
class DataParallel {
 public:
  // Blocks until every rank has joined (or the timeout passes: std::runtime_error).
  explicit DataParallel(const ProcessGroupSettings& settings);
  ~DataParallel();
  DataParallel(const DataParallel&) = delete;
  DataParallel& operator=(const DataParallel&) = delete;

  int rank() const { return settings_.rank; }
  int world_size() const { return settings_.world_size; }

  // Overwrites the tensors of every rank with rank 0's, in place (the parameters at the start).
  void broadcast_from_rank0(const std::vector<at::Tensor>& tensors);
  // Replaces every parameter's .grad() by the mean over the ranks. A parameter without a
  // gradient on this rank counts as zeros (and gets a zero gradient), so that every rank sends
  // the same buffers whatever its batch touched.
  void average_gradients(const std::vector<at::Tensor>& parameters);
  // The sum of `value` over the ranks (a global loss for logging).
  double sum(double value);
  void barrier();

 private:
  struct Group;
  ProcessGroupSettings settings_;
  std::unique_ptr<Group> group_;
};

}  // namespace steper
