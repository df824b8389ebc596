// The one memory-mapped file the plugins share: contents, zeroed padding, moves, and refusals.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "plugin_support/mapped_file.hpp"

namespace steper::support {
namespace {

namespace fs = std::filesystem;

class MappedFileTest : public ::testing::Test {
 protected:
  MappedFileTest() : folder_(fs::temp_directory_path() / ("steper_mapped_file_" + std::to_string(::getpid()))) {
    fs::create_directories(folder_);
  }
  ~MappedFileTest() override { fs::remove_all(folder_); }

  fs::path write(const std::string& name, const std::string& bytes) {
    const fs::path path = folder_ / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  fs::path folder_;
};

TEST_F(MappedFileTest, HoldsTheFileAndItsPath) {
  const fs::path path = write("text", "hello");
  const MappedFile file(path);
  EXPECT_EQ(file.text(), "hello");
  EXPECT_EQ(file.size(), 5u);
  EXPECT_EQ(file.padded_size(), 5u);
  EXPECT_EQ(file.path(), path);
}

// Every padding byte reads as zero, across the page boundary after the file's end too.
TEST_F(MappedFileTest, PaddingAfterTheFileReadsAsZeroes) {
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  for (const std::size_t size : {std::size_t{0}, std::size_t{3}, page - 1, page}) {
    const MappedFile file(write("padded", std::string(size, 'x')), MappedFile::Access::whole, 64);
    ASSERT_EQ(file.padded_size(), size + 64);
    ASSERT_NE(file.data(), nullptr);
    EXPECT_EQ(file.text(), std::string(size, 'x'));
    for (std::size_t i = size; i < size + 64; ++i) ASSERT_EQ(file.data()[i], std::byte{0}) << "size " << size << ", byte " << i;
  }
}

TEST_F(MappedFileTest, AnEmptyFileWithoutPaddingHoldsNothing) {
  const MappedFile file(write("empty", ""));
  EXPECT_EQ(file.size(), 0u);
  EXPECT_EQ(file.text(), "");
}

TEST_F(MappedFileTest, MovesHandOverTheMapping) {
  MappedFile first(write("a", "first"));
  MappedFile second(std::move(first));
  EXPECT_EQ(second.text(), "first");
  EXPECT_EQ(first.data(), nullptr);  // NOLINT(bugprone-use-after-move): moved-from is empty
  MappedFile third(write("b", "third"));
  third = std::move(second);
  EXPECT_EQ(third.text(), "first");
}

TEST_F(MappedFileTest, RefusesMissingFilesAndNonRegularFilesWithoutBlocking) {
  try {
    MappedFile(folder_ / "missing");
    FAIL() << "a missing file was mapped";
  } catch (const MappedFileError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot open '" + (folder_ / "missing").string() + "': No such file or directory");
    EXPECT_EQ(e.reason(), "No such file or directory");
  }
  const fs::path fifo = folder_ / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  for (const fs::path& path : {fs::path("/dev/zero"), fifo, folder_}) {
    try {
      MappedFile file(path);
      FAIL() << path << " was mapped";
    } catch (const MappedFileError& e) {
      EXPECT_EQ(e.reason(), "not a regular file (a device, pipe or socket)") << path;
    }
  }
}

}  // namespace
}  // namespace steper::support
