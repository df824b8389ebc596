#include "torch/doctor.hpp"

#include <dlfcn.h>
#include <link.h>

#include <chrono>
#include <cstdlib>
#include <set>

#include <fmt/format.h>
#include <torch/torch.h>

#include "steper/compute.hpp"

namespace steper {
namespace {

// The shared libraries loaded into this process whose file names mention BLAS.
std::set<std::string> loaded_blas_libraries() {
  std::set<std::string> found;
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* data) {
        const std::string name = info->dlpi_name ? info->dlpi_name : "";
        if (name.find("blas") != std::string::npos) {
          char resolved[4096];
          static_cast<std::set<std::string>*>(data)->insert(realpath(name.c_str(), resolved) ? resolved : name);
        }
        return 0;
      },
      &found);
  return found;
}

std::string openblas_core() {
  using CoreName = char* (*)();
  auto corename = reinterpret_cast<CoreName>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
  return corename ? corename() : "";
}

// Best of several timed n x n matrix products, after a warm-up.
double matmul_gflops(at::ScalarType dtype, int64_t n) {
  torch::NoGradGuard no_grad;
  auto a = torch::randn({n, n}).to(dtype), b = torch::randn({n, n}).to(dtype);
  auto c = torch::mm(a, b);
  double best = 0;
  for (int rep = 0; rep < 5; ++rep) {
    const auto start = std::chrono::steady_clock::now();
    c = torch::mm(a, b);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    best = std::max(best, 2.0 * n * n * n / seconds / 1e9);
  }
  return best;
}

}  // namespace

std::string doctor_report() {
  std::string report;
  report += fmt::format("LibTorch            {}\n", TORCH_VERSION);
  report += fmt::format("threads             {} intra-op, {} inter-op\n", at::get_num_threads(),
                        at::get_num_interop_threads());
  std::string blas;
  for (const auto& library : loaded_blas_libraries()) blas += (blas.empty() ? "" : ", ") + library;
  report += fmt::format("BLAS libraries      {}\n", blas.empty() ? "none loaded" : blas);
  const std::string core = openblas_core();
  report += fmt::format("OpenBLAS core       {}\n", core.empty() ? "(not OpenBLAS)" : core);
  if (const char* forced = std::getenv("OPENBLAS_CORETYPE")) report += fmt::format("OPENBLAS_CORETYPE   {}\n", forced);
  report += fmt::format("oneDNN (mkldnn)     {}\n", at::hasMKLDNN() ? "available" : "not built in");
  report += fmt::format("bf16 units          {}\n", cpu_has_bf16() ? "yes" : "no");
  report += fmt::format("AMX tiles           {}\n", cpu_has_amx_tiles() ? "yes" : "no");
  constexpr int64_t kSize = 1024;
  report += fmt::format("matmul fp32         {:.1f} GFLOP/s ({}x{}, best of 5)\n", matmul_gflops(at::kFloat, kSize),
                        kSize, kSize);
  report += fmt::format("matmul bf16         {:.1f} GFLOP/s ({}x{}, best of 5)\n",
                        matmul_gflops(at::kBFloat16, kSize), kSize, kSize);
  return report;
}

}  // namespace steper
