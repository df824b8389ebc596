#include "passage_set.hpp"

#include <algorithm>

namespace steper::frameworks {

bool passage_mode_from_string(std::string_view name, PassageMode& mode) {
  for (const auto& entry : kPassageModeNames)
    if (name == entry.name) {
      mode = entry.mode;
      return true;
    }
  return false;
}

void PassageSet::add(const std::vector<std::string>& ids) {
  if (mode_ == PassageMode::replace) ids_.clear();
  for (const std::string& id : ids) {
    if (ids_.size() >= cap_) break;
    if (std::find(ids_.begin(), ids_.end(), id) == ids_.end()) ids_.push_back(id);
  }
}

}  // namespace steper::frameworks
