// file_fingerprint() changes when a file or a file in a folder changes, so that plugins'
// fingerprint() hooks keep stale cached stages from being reused.
#include <gtest/gtest.h>

#include "steper/fingerprint.hpp"
#include "temporary_folder.hpp"

namespace steper {
namespace {

using testing::TemporaryFolder;
using testing::write_file;

TEST(FileFingerprint, NamesTheFileAndChangesWhenItIsRewritten) {
  const TemporaryFolder folder;
  const std::string path = (folder.path() / "teacher.jsonl").string();
  write_file(path, "{}\n");
  const std::string first = file_fingerprint(path);
  EXPECT_EQ(first.rfind(path + "=", 0), 0u) << first;
  EXPECT_EQ(file_fingerprint(path), first) << "an untouched file keeps its fingerprint";
  write_file(path, "{}\n{}\n");
  EXPECT_NE(file_fingerprint(path), first);
}

TEST(FileFingerprint, SaysWhenTheFileIsMissing) {
  const TemporaryFolder folder;
  const std::string path = (folder.path() / "absent.json").string();
  EXPECT_EQ(file_fingerprint(path), path + "=missing;");
}

TEST(FileFingerprint, CoversEachFileOfAFolderInNameOrder) {
  const TemporaryFolder folder;
  write_file(folder.path() / "model.safetensors", "weights");
  write_file(folder.path() / "config.json", "{}");
  const std::string config = file_fingerprint((folder.path() / "config.json").string());
  const std::string weights = file_fingerprint((folder.path() / "model.safetensors").string());
  EXPECT_EQ(file_fingerprint(folder.path().string()), config + weights);
  write_file(folder.path() / "model.safetensors", "other weights");
  EXPECT_NE(file_fingerprint(folder.path().string()), config + weights) << "a replaced shard changes the folder's";
}

}  // namespace
}  // namespace steper
