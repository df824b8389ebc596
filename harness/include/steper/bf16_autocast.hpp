// Turns LibTorch's bf16 CPU autocast on for its lifetime when asked to. Nested guards are
// harmless: one that finds autocast already on leaves it to the guard that turned it on.
#pragma once

#include <ATen/autocast_mode.h>

namespace steper {

class Bf16Autocast {
 public:
  explicit Bf16Autocast(bool on) : on_(on && !at::autocast::is_cpu_enabled()) {
    if (!on_) return;
    at::autocast::set_cpu_enabled(true);
    at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
  }
  ~Bf16Autocast() {
    if (!on_) return;
    at::autocast::clear_cache();
    at::autocast::set_cpu_enabled(false);
  }
  Bf16Autocast(const Bf16Autocast&) = delete;
  Bf16Autocast& operator=(const Bf16Autocast&) = delete;

 private:
  bool on_;
};

}  // namespace steper
