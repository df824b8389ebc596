// Stage outputs (an index, teacher trajectories, a trained checkpoint) stored under a key
// derived from the configuration that produced them, so cells sharing a stage build it once.
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace steper {

class ArtifactCache {
 public:
  explicit ArtifactCache(std::string root) : root_(std::move(root)) {}

  // The folder of artifact `stage/key`. When absent, `build` fills a fresh temporary folder
  // which is then renamed into place, so no reader ever sees a half-written artifact.
  // Processes that want the same artifact at once wait on a file lock instead of building it
  // twice. Sets *built to whether this call built it.
  std::string get_or_build(const std::string& stage, const std::string& key,
                           const std::function<void(const std::string& dir)>& build, bool* built = nullptr) const;

  // The same for a build that may end usable but incomplete (a teacher stage with failed
  // questions): `build` returns whether its folder is complete. An incomplete one is removed, not
  // stored, and the result is empty, so the next call builds again; *built is set to true.
  std::optional<std::string> get_or_try_build(const std::string& stage, const std::string& key,
                                              const std::function<bool(const std::string& dir)>& build,
                                              bool* built = nullptr) const;

  // Whether artifact `stage/key` is complete in the cache.
  bool has(const std::string& stage, const std::string& key) const;

  const std::string& root() const { return root_; }

 private:
  std::string root_;
};

}  // namespace steper
