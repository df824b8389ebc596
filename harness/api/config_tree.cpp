// Provenance look-ups and the read bookkeeping that Settings views of one cell share.
#include "config_tree.hpp"

#include "config_toml.hpp"

namespace steper {

SourceLocation ConfigTree::location(const std::string& path) const {
  std::string key = path;
  while (!key.empty()) {
    if (auto it = origins.find(key); it != origins.end()) return it->second.where;
    const std::size_t cut = key.find_last_of(".[");
    key.resize(cut == std::string::npos ? 0 : cut);
  }
  return {file, 0, 0};
}

void ConfigTree::record_read(const std::string& path, const toml::node* value) {
  if (read.insert(path).second) read_order.push_back(path);
  if (value) set_at(resolved, path, *value);
}

bool ConfigTree::touched(const std::string& path) const {
  for (auto it = read.lower_bound(path); it != read.end() && it->compare(0, path.size(), path) == 0; ++it) {
    if (key_within(*it, path)) return true;
  }
  return false;
}

}  // namespace steper
