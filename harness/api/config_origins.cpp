#include "config_origins.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "config_toml.hpp"

namespace steper {

void record_origins(const toml::node& node, const std::string& path, const toml::source_region& at,
                    const OriginSource& source, Origins& origins) {
  const int line = source.line ? source.line : static_cast<int>(at.begin.line);
  const int column = static_cast<int>(at.begin.column) + source.column_shift;
  const std::int64_t order = (source.rank << 40) | (std::int64_t{line} << 20) | std::min(column, (1 << 20) - 1);
  auto [entry, inserted] = origins.try_emplace(path, Origin{{source.file, line, column}, order});
  if (!inserted) entry->second.where = {source.file, line, column};  // the first order stays

  if (const toml::table* table = node.as_table()) {
    for (const auto& [key, child] : *table)
      record_origins(child, join_key(path, key.str()), key.source(), source, origins);
  } else if (const toml::array* array = node.as_array()) {
    for (std::size_t i = 0; i < array->size(); ++i) {
      const toml::node& element = *array->get(i);
      record_origins(element, path + "[" + std::to_string(i) + "]", element.source(), source, origins);
    }
  }
}

void record_enclosing_origins(Origins& origins, const std::string& dotted, const Origin& origin) {
  for (std::size_t dot = dotted.find('.'); dot != std::string::npos; dot = dotted.find('.', dot + 1))
    origins.try_emplace(dotted.substr(0, dot), origin);
}

void copy_origins(Origins& origins, const std::string& from, const std::string& to) {
  std::vector<std::pair<std::string, Origin>> copies;
  for (auto it = origins.lower_bound(from); it != origins.end() && it->first.compare(0, from.size(), from) == 0; ++it) {
    if (key_within(it->first, from)) copies.emplace_back(to + it->first.substr(from.size()), it->second);
  }
  for (auto& [path, origin] : copies) origins[path] = origin;
}

}  // namespace steper
