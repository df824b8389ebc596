// The host's controls over computing: thread counts of LibTorch and OpenBLAS, the allocator's
// handling of freed memory, the GPUs LibTorch sees.
#pragma once

namespace steper {

// Intra-op threads of LibTorch and the threads of OpenBLAS (whose own pool otherwise has one
// thread per core whatever LibTorch's setting); n = 0 keeps their defaults.
void set_compute_threads(int n);
int compute_threads();
// OpenBLAS's threads, or 0 when LibTorch does not use OpenBLAS.
int blas_threads();

// At most n threads for LibTorch and for OpenBLAS while it lives (n < 1: no cap), the counts
// before restored after: ranks sharing one machine split its cores while they train.
class ComputeThreadCap {
 public:
  explicit ComputeThreadCap(int n);
  ~ComputeThreadCap();
  ComputeThreadCap(const ComputeThreadCap&) = delete;
  ComputeThreadCap& operator=(const ComputeThreadCap&) = delete;

 private:
  int torch_threads_;
  int blas_threads_;
};

// Keeps freed memory in the process for the next tensor instead of handing it back to the
// kernel. glibc maps every block of 32 MB or more (an attention score tensor) afresh and unmaps
// it on free; the page faults of touching it again cost more than the kernels that use it
// (measured here: copying a 32 MB tensor 129 ms, 2 ms with this; a training step of the
// 25M-parameter benchmark model 8.6 s in bf16, 1.6 s with this). Call once, at start-up.
void reuse_freed_memory();
// Hands the memory freed so far back to the kernel. The runner calls it after each cell, so
// that a run of many cells in one process does not keep the largest cell's peak.
void return_freed_memory();
// The CUDA GPUs LibTorch sees: 0 without a GPU or with a CPU-only LibTorch.
int cuda_device_count();

}  // namespace steper
