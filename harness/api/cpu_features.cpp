#include "steper/compute.hpp"

#include <cpuid.h>

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

}  // namespace steper
