// steper doctor: what LibTorch sees on this machine and how fast it multiplies matrices.
#include <cstdio>

#include "command.hpp"
#include "torch/doctor.hpp"

namespace steper::commands {

void add_doctor(CLI::App& app, int& exit_code) {
  auto* command = app.add_subcommand("doctor", "LibTorch, threads, BLAS, bf16/AMX, measured matrix-multiply GFLOP/s");
  on_parsed(*command, exit_code, [] {
    std::fputs(doctor_report().c_str(), stdout);
    return 0;
  });
}

}  // namespace steper::commands
