// The run log: prefixed, time-stamped lines to stderr and to a sink, whole even when several
// threads log at once (plugins may log from their worker threads).
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "run_log.hpp"

namespace steper {
namespace {

TEST(RunLog, HandsEachLineWithLevelAndPrefixToTheSink) {
  RunLog log;
  std::vector<std::string> lines;
  log.set_sink([&](const std::string& line) { lines.push_back(line); });
  log.set_prefix("[cell] ");
  log.warn("careful");
  log.set_sink({});
  log.info("not stored");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find(" warn  [cell] careful"), std::string::npos) << lines[0];
}

TEST(RunLog, LinesFromManyThreadsArriveWholeAndOnce) {
  RunLog log;
  std::vector<std::string> lines;  // no lock of its own: the log serialises its sink
  log.set_sink([&](const std::string& line) { lines.push_back(line); });
  constexpr int kThreads = 4, kLines = 300;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&log, t] {
      for (int i = 0; i < kLines; ++i) log.info("thread " + std::to_string(t) + " line " + std::to_string(i));
    });
  for (auto& thread : threads) thread.join();
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(kThreads * kLines));
  std::vector<int> per_thread(kThreads, 0);
  for (const auto& line : lines) {
    const auto at = line.find("thread ");
    ASSERT_NE(at, std::string::npos) << line;
    ++per_thread.at(std::stoi(line.substr(at + 7)));
  }
  for (int count : per_thread) EXPECT_EQ(count, kLines);
}

}  // namespace
}  // namespace steper
