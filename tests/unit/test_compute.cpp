// Thread settings reach both LibTorch and OpenBLAS, whose pool ignores LibTorch's setting;
// freed memory stays with the process until the runner hands it back.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <memory>

#include "compute_controls.hpp"

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

// This process's resident memory in bytes: /proc/self/statm's second field, in pages.
long resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  long size_pages = 0, resident_pages = 0;
  statm >> size_pages >> resident_pages;
  return resident_pages * ::sysconf(_SC_PAGESIZE);
}

TEST(FreedMemory, StaysWithTheProcessUntilReturned) {
  reuse_freed_memory();
  constexpr long kBlock = 256L << 20;
  const long before = resident_bytes();
  {
    const std::unique_ptr<char[]> block(new char[kBlock]);
    volatile char* pages = block.get();  // volatile: the writes that make the pages resident stay
    for (long i = 0; i < kBlock; i += 4096) pages[i] = 1;
  }
  const long kept = resident_bytes();
  EXPECT_GT(kept, before + kBlock / 2) << "a freed 256 MB block should stay resident for reuse";
  return_freed_memory();
  EXPECT_LT(resident_bytes(), kept - kBlock / 2) << "return_freed_memory() should hand the block back";
}

}  // namespace
}  // namespace steper
