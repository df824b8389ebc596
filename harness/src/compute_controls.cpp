#include "compute_controls.hpp"

#include <dlfcn.h>
#include <malloc.h>

#include <ATen/Context.h>
#include <ATen/Parallel.h>

namespace steper {

namespace {

// OpenBLAS is loaded with LibTorch when Debian's alternatives point at it; looked up at run
// time so that other BLAS builds still link.
void set_blas_threads(int n) {
  using SetThreads = void (*)(int);
  if (auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) set(n);
}

}  // namespace

void set_compute_threads(int n) {
  if (n <= 0) return;
  at::set_num_threads(n);
  set_blas_threads(n);
}

int compute_threads() { return at::get_num_threads(); }

int blas_threads() {
  using GetThreads = int (*)();
  const auto get = reinterpret_cast<GetThreads>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
  return get ? get() : 0;
}

ComputeThreadCap::ComputeThreadCap(int n) : torch_threads_(compute_threads()), blas_threads_(blas_threads()) {
  if (n < 1) return;
  if (torch_threads_ > n) at::set_num_threads(n);
  if (blas_threads_ > n) set_blas_threads(n);
}

ComputeThreadCap::~ComputeThreadCap() {
  at::set_num_threads(torch_threads_);
  if (blas_threads_ > 0) set_blas_threads(blas_threads_);
}

void reuse_freed_memory() {
  mallopt(M_MMAP_MAX, 0);  // every block from the heap, where freed blocks are reused
  mallopt(M_TRIM_THRESHOLD, -1);  // ... and never trimmed back to the kernel
}

void return_freed_memory() { malloc_trim(0); }

int cuda_device_count() { return at::hasCUDA() ? static_cast<int>(at::getNumGPUs()) : 0; }

}  // namespace steper
