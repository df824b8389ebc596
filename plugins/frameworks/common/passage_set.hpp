// The passages a prompt shows: each step's hits added in retrieval order, de-duplicated, up to
// a cap (method.md section 2, P_<=s); or, as FlashRAG's Self-Ask may do, only the last step's.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace steper::frameworks {

enum class PassageMode { accumulate, replace };
inline constexpr struct {
  PassageMode mode;
  const char* name;
} kPassageModeNames[] = {{PassageMode::accumulate, "accumulate"}, {PassageMode::replace, "replace"}};
// False for an unknown name.
bool passage_mode_from_string(std::string_view name, PassageMode& mode);

class PassageSet {
 public:
  PassageSet(PassageMode mode, std::size_t cap) : mode_(mode), cap_(cap) {}
  // One step's retrieved ids, best first.
  void add(const std::vector<std::string>& ids);
  const std::vector<std::string>& ids() const { return ids_; }

 private:
  PassageMode mode_;
  std::size_t cap_;
  std::vector<std::string> ids_;
};

}  // namespace steper::frameworks
