#include "steper/compute.hpp"

#include <cpuid.h>
#include <dlfcn.h>
#include <malloc.h>

#include <ATen/Context.h>
#include <ATen/Parallel.h>

namespace steper {

// CPUID leaf 7: sub-leaf 1 EAX bit 5 is AVX512-BF16; sub-leaf 0 EDX bit 22 is AMX-BF16 and
// bit 24 AMX-TILE.
bool cpu_has_bf16() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return false;
  const bool amx_bf16 = edx & (1u << 22);
  if (!__get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx)) return amx_bf16;
  const bool avx512_bf16 = eax & (1u << 5);
  return amx_bf16 || avx512_bf16;
}

bool cpu_has_amx_tiles() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  return __get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) && (edx & (1u << 24));
}

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
