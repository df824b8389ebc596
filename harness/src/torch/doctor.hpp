// Facts about the compute back end (implemented with LibTorch in torch/doctor.cpp).
#pragma once

#include <string>

namespace steper {

// `steper doctor`: LibTorch version, threads, BLAS and detected core, bf16/AMX support, and
// the measured fp32 and bf16 matrix-multiply GFLOP/s.
std::string doctor_report();

}  // namespace steper
