// What the host gives a plugin besides its settings: logging, progress, scratch space, seed.
// Plugins never print to stdout; they log through the context, which also keeps the lines
// for the result file's run log.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace steper {

// Reports progress of a long loop: a bar with rate and ETA on a terminal, periodic log lines
// otherwise. Finishes (prints the final line) on destruction.
class Progress {
 public:
  virtual ~Progress();
  virtual void advance(std::size_t n = 1) = 0;
};

class PluginContext {
 public:
  virtual ~PluginContext();
  // Log lines; callable from any thread.
  virtual void info(std::string_view message) = 0;
  virtual void warn(std::string_view message) = 0;
  virtual std::unique_ptr<Progress> progress(std::string_view label, std::size_t total) = 0;
  // The seed of the cell (grid axis `seed`); plugins derive their own streams from it.
  virtual std::uint64_t seed() const = 0;
  // "cpu" or "cuda"; from the experiment's [run] device.
  virtual std::string device() const = 0;
  // A folder this plugin may use for scratch files; it exists and survives the cell.
  virtual std::string scratch_dir() const = 0;
};

}  // namespace steper
