// Stage outputs (an index, teacher trajectories, a trained checkpoint) stored under a key
// derived from the configuration that produced them, so cells sharing a stage build it once.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace steper {

class ArtifactCache {
 public:
  explicit ArtifactCache(std::string root) : root_(std::move(root)) {}

  // The folder of artifact `stage/key`. When absent, `build` fills a fresh temporary folder
  // which is then renamed into place, so no reader ever sees a half-written artifact.
  // Processes that want the same artifact at once wait on a file lock instead of building it
  // twice. Sets *built to whether this call built it. `leftovers` are folders the build works in
  // besides its output (resume state, scratch): they are removed once the artifact is stored,
  // under the same lock, so that processes finishing together never remove them at once.
  std::string get_or_build(const std::string& stage, const std::string& key,
                           const std::function<void(const std::string& dir)>& build, bool* built = nullptr,
                           const std::vector<std::string>& leftovers = {}) const;

  // The same for a build that may end usable but incomplete (a teacher stage with failed
  // questions): `build` returns whether its folder is complete. An incomplete one is removed, not
  // stored, and the result is empty, so the next call builds again; *built is set to true. Its
  // leftovers stay for that next build.
  std::optional<std::string> get_or_try_build(const std::string& stage, const std::string& key,
                                              const std::function<bool(const std::string& dir)>& build,
                                              bool* built = nullptr,
                                              const std::vector<std::string>& leftovers = {}) const;

  // Whether artifact `stage/key` is complete in the cache.
  bool has(const std::string& stage, const std::string& key) const;

  const std::string& root() const { return root_; }

 private:
  std::string root_;
};

}  // namespace steper
