#include "run_log.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>

#include <fmt/format.h>

#include "printable.hpp"

namespace steper {
namespace {

using Clock = std::chrono::steady_clock;

std::string format_duration(double seconds) {
  if (!(seconds >= 0) || seconds > 1e7) return "?";
  const auto total = static_cast<long>(seconds + 0.5);
  return total >= 3600 ? fmt::format("{}:{:02}:{:02}", total / 3600, total / 60 % 60, total % 60)
                       : fmt::format("{}:{:02}", total / 60, total % 60);
}

class ProgressReport : public Progress {
 public:
  ProgressReport(RunLog& log, std::string_view label, std::size_t total)
      : log_(log), label_(label), total_(total), terminal_(isatty(STDERR_FILENO) == 1),
        start_(Clock::now()), last_shown_(start_) {}

  ~ProgressReport() override {
    if (terminal_) std::fputs("\r\033[K", stderr);
    const double seconds = elapsed();
    log_.info(fmt::format("{}: {} done in {} ({:.1f}/s)", label_, done_, format_duration(seconds),
                          seconds > 0 ? done_ / seconds : 0.0));
  }

  void advance(std::size_t n) override {
    done_ += n;
    const auto now = Clock::now();
    const double since_shown = std::chrono::duration<double>(now - last_shown_).count();
    if (terminal_ ? since_shown >= 0.2 : since_shown >= 10.0) {
      last_shown_ = now;
      show();
    }
  }

 private:
  double elapsed() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

  void show() {
    const double rate = done_ / std::max(elapsed(), 1e-9);
    const double eta = done_ < total_ ? (total_ - done_) / std::max(rate, 1e-9) : 0.0;
    if (!terminal_) {
      log_.info(fmt::format("{}: {}/{} ({:.1f}/s, ETA {})", label_, done_, total_, rate, format_duration(eta)));
      return;
    }
    constexpr int kWidth = 30;
    const int filled = total_ ? static_cast<int>(kWidth * std::min(1.0, double(done_) / total_)) : 0;
    std::fprintf(stderr, "\r\033[K%s [%s%s] %zu/%zu %.1f/s ETA %s", label_.c_str(), std::string(filled, '#').c_str(),
                 std::string(kWidth - filled, '.').c_str(), done_, total_, rate, format_duration(eta).c_str());
    std::fflush(stderr);
  }

  RunLog& log_;
  std::string label_;
  std::size_t total_;
  std::size_t done_ = 0;
  bool terminal_;
  Clock::time_point start_, last_shown_;
};

}  // namespace

void RunLog::write(const char* level, std::string_view message) {
  const std::lock_guard<std::mutex> lock(mutex_);
  const std::string line = fmt::format("{} {:5} {}{}", utc_now(), level, prefix_, printable(message));
  std::fprintf(stderr, "%s\n", line.c_str());
  if (sink_) sink_(line);
}

std::unique_ptr<Progress> make_progress(RunLog& log, std::string_view label, std::size_t total) {
  return std::make_unique<ProgressReport>(log, label, total);
}

std::string HostContext::scratch_dir() const {
  std::filesystem::create_directories(scratch_dir_);
  return scratch_dir_;
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace steper
