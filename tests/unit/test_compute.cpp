// Thread settings reach both LibTorch and OpenBLAS, whose pool ignores LibTorch's setting.
#include <gtest/gtest.h>

#include "steper/compute.hpp"

namespace steper {
namespace {

// Restores the thread counts a test changed.
class ComputeThreads : public ::testing::Test {
 protected:
  void TearDown() override { set_compute_threads(threads_); }
  int threads_ = compute_threads();
};

TEST_F(ComputeThreads, SettingThreadsSetsLibTorchAndOpenBlas) {
  ASSERT_GT(blas_threads(), 0) << "LibTorch should use OpenBLAS (scripts/setup.sh installs libopenblas0-pthread)";
  set_compute_threads(2);
  EXPECT_EQ(compute_threads(), 2);
  EXPECT_EQ(blas_threads(), 2);
  set_compute_threads(0);  // keeps the setting
  EXPECT_EQ(compute_threads(), 2);
}

TEST_F(ComputeThreads, ACapLowersWhileItLivesNeverRaisesAndRestores) {
  set_compute_threads(2);
  {
    const ComputeThreadCap cap(1);
    EXPECT_EQ(compute_threads(), 1);
    EXPECT_EQ(blas_threads(), 1);
    {
      const ComputeThreadCap looser(4);
      EXPECT_EQ(compute_threads(), 1);
      EXPECT_EQ(blas_threads(), 1);
    }
    EXPECT_EQ(compute_threads(), 1);
  }
  EXPECT_EQ(compute_threads(), 2);
  EXPECT_EQ(blas_threads(), 2);
}

}  // namespace
}  // namespace steper
