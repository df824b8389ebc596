#include "artifact_cache.hpp"

#include <filesystem>
#include <stdexcept>

#include "file_lock.hpp"

namespace steper {
namespace fs = std::filesystem;
namespace {

bool any_exists(const std::vector<std::string>& folders) {
  std::error_code error;
  for (const auto& folder : folders)
    if (fs::exists(folder, error)) return true;
  return false;
}

// A leftover that cannot be removed costs disk space, not correctness: the artifact is stored.
void remove_leftovers(const std::vector<std::string>& folders) {
  std::error_code error;
  for (const auto& folder : folders) fs::remove_all(folder, error);
}

}  // namespace

bool ArtifactCache::has(const std::string& stage, const std::string& key) const {
  std::error_code error;
  return fs::is_directory(fs::path(root_) / stage / key, error);
}

std::string ArtifactCache::get_or_build(const std::string& stage, const std::string& key,
                                        const std::function<void(const std::string& dir)>& build,
                                        bool* built, const std::vector<std::string>& leftovers) const {
  return *get_or_try_build(
      stage, key,
      [&](const std::string& dir) {
        build(dir);
        return true;
      },
      built, leftovers);
}

std::optional<std::string> ArtifactCache::get_or_try_build(const std::string& stage, const std::string& key,
                                                           const std::function<bool(const std::string& dir)>& build,
                                                           bool* built,
                                                           const std::vector<std::string>& leftovers) const {
  const fs::path stage_dir = fs::path(root_) / stage;
  const fs::path final_dir = stage_dir / key;
  if (built) *built = false;
  std::error_code error;
  if (fs::is_directory(final_dir, error) && !any_exists(leftovers)) return final_dir.string();

  fs::create_directories(stage_dir, error);
  if (error)
    throw std::runtime_error("cannot create cache folder '" + stage_dir.string() + "': " + error.message());
  FileLock lock((stage_dir / (key + ".lock")).string());
  if (fs::is_directory(final_dir, error)) {  // built while we waited, or its builder stopped before removing leftovers
    remove_leftovers(leftovers);
    return final_dir.string();
  }

  const fs::path temp_dir = stage_dir / (key + ".tmp");
  fs::remove_all(temp_dir, error);  // left by a crashed build
  fs::create_directories(temp_dir);
  bool complete = false;
  try {
    complete = build(temp_dir.string());
  } catch (...) {
    fs::remove_all(temp_dir, error);
    throw;
  }
  if (built) *built = true;
  if (!complete) {
    fs::remove_all(temp_dir, error);
    return std::nullopt;
  }
  fs::rename(temp_dir, final_dir);
  remove_leftovers(leftovers);
  return final_dir.string();
}

}  // namespace steper
