// Backoff doubles up to its cap; Retry-After is read in its delta-seconds form only.
#include <gtest/gtest.h>

#include "retry_delay.hpp"

namespace steper::openai {
namespace {

TEST(RetryDelay, DoublesUpToTheCap) {
  EXPECT_DOUBLE_EQ(backoff_delay_s(0, 0.5, 3), 0.5);
  EXPECT_DOUBLE_EQ(backoff_delay_s(1, 0.5, 3), 1.0);
  EXPECT_DOUBLE_EQ(backoff_delay_s(2, 0.5, 3), 2.0);
  EXPECT_DOUBLE_EQ(backoff_delay_s(3, 0.5, 3), 3.0);
  EXPECT_DOUBLE_EQ(backoff_delay_s(1000, 0.5, 3), 3.0);
  EXPECT_DOUBLE_EQ(backoff_delay_s(4, 0, 3), 0.0);
}

TEST(RetryDelay, ReadsRetryAfterSeconds) {
  EXPECT_EQ(retry_after_s("3"), 3.0);
  EXPECT_EQ(retry_after_s(" 0.25 "), 0.25);
  EXPECT_EQ(retry_after_s(""), std::nullopt);
  EXPECT_EQ(retry_after_s("-1"), std::nullopt);
  EXPECT_EQ(retry_after_s("1.2.3"), std::nullopt);
  EXPECT_EQ(retry_after_s("Wed, 21 Oct 2026 07:28:00 GMT"), std::nullopt);
}

}  // namespace
}  // namespace steper::openai
