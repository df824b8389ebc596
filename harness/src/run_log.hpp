// The host's logger and the PluginContext it gives plugins. Lines go to stderr with a time
// stamp and to an optional sink (the cell's result file keeps them as its run log).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "steper/context.hpp"

namespace steper {

// Safe to use from several threads: each line is written and handed to the sink whole.
class RunLog {
 public:
  void info(std::string_view message) { write("info", message); }
  void warn(std::string_view message) { write("warn", message); }
  void error(std::string_view message) { write("error", message); }
  // Receives every line, e.g. to store it in the result file; empty for none.
  void set_sink(std::function<void(const std::string&)> sink) {
    const std::lock_guard<std::mutex> lock(mutex_);
    sink_ = std::move(sink);
  }
  // Prefixes every line, e.g. with the cell id.
  void set_prefix(std::string prefix) {
    const std::lock_guard<std::mutex> lock(mutex_);
    prefix_ = std::move(prefix);
  }

 private:
  void write(const char* level, std::string_view message);
  std::mutex mutex_;
  std::function<void(const std::string&)> sink_;
  std::string prefix_;
};

// A bar with rate and ETA when stderr is a terminal, a log line every 10 seconds otherwise.
std::unique_ptr<Progress> make_progress(RunLog& log, std::string_view label, std::size_t total);

class HostContext : public PluginContext {
 public:
  HostContext(RunLog& log, std::uint64_t seed, std::string device, std::string scratch_dir)
      : log_(log), seed_(seed), device_(std::move(device)), scratch_dir_(std::move(scratch_dir)) {}
  void info(std::string_view message) override { log_.info(message); }
  void warn(std::string_view message) override { log_.warn(message); }
  std::unique_ptr<Progress> progress(std::string_view label, std::size_t total) override {
    return make_progress(log_, label, total);
  }
  std::uint64_t seed() const override { return seed_; }
  std::string device() const override { return device_; }
  std::string scratch_dir() const override;

 private:
  RunLog& log_;
  std::uint64_t seed_;
  std::string device_;
  std::string scratch_dir_;
};

// Current UTC time as ISO 8601, e.g. "2026-11-28T17:42:27Z".
std::string utc_now();

}  // namespace steper
