// What the processor offers for computing: the units bf16 autocast needs to pay off.
#pragma once

namespace steper {

// CPUID: AVX512-BF16 or AMX-BF16.
bool cpu_has_bf16();
bool cpu_has_amx_tiles();

}  // namespace steper
