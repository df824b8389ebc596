#include "read_warnings.hpp"

#include <algorithm>

namespace steper::datasets {

void ReadWarnings::add(const std::string& kind, const std::string& example) {
  auto it = std::find_if(kinds_.begin(), kinds_.end(), [&](const Kind& k) { return k.what == kind; });
  if (it == kinds_.end()) it = kinds_.insert(kinds_.end(), Kind{kind, example, 0});
  ++it->count;
}

std::vector<std::string> ReadWarnings::lines() const {
  std::vector<std::string> lines;
  for (const Kind& kind : kinds_)
    lines.push_back(std::to_string(kind.count) + " " + kind.what + " (first: " + kind.first_example + ")");
  return lines;
}

}  // namespace steper::datasets
