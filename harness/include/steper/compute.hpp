// What the processor and LibTorch offer for computing: bf16 and AMX units, thread counts.
#pragma once

namespace steper {

// CPUID: AVX512-BF16 or AMX-BF16, the units bf16 autocast needs to pay off.
bool cpu_has_bf16();
bool cpu_has_amx_tiles();

// Intra-op threads of LibTorch; n = 0 keeps its default.
void set_compute_threads(int n);
int compute_threads();
// The CUDA GPUs LibTorch sees: 0 without a GPU or with a CPU-only LibTorch.
int cuda_device_count();

}  // namespace steper
