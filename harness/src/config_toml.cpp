// Helpers over toml++ nodes: dotted keys, deep merge, provenance.
#include <algorithm>

#include "config_tree.hpp"

namespace steper {

std::string SourceLocation::str() const {
  if (line == 0) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

void throw_config_error(const SourceLocation& where, const std::string& message) {
  throw ConfigError(where.str() + ": " + message);
}

std::vector<std::string> split_key(std::string_view dotted) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = dotted.find('.', start);
    parts.emplace_back(dotted.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) return parts;
    start = dot + 1;
  }
}

std::string join_key(const std::string& prefix, std::string_view key) {
  return prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
}

bool key_within(const std::string& path, const std::string& key) {
  if (path.size() == key.size()) return path == key;
  return path.size() > key.size() && path.compare(0, key.size(), key) == 0 &&
         (path[key.size()] == '.' || path[key.size()] == '[');
}

const toml::node* node_at(const toml::table& root, const std::string& dotted) {
  const toml::table* table = &root;
  const toml::node* node = nullptr;
  for (const auto& part : split_key(dotted)) {
    if (!table) return nullptr;
    node = table->get(part);
    if (!node) return nullptr;
    table = node->as_table();
  }
  return node;
}

void set_at(toml::table& root, const std::string& dotted, const toml::node& value) {
  const auto parts = split_key(dotted);
  toml::table* table = &root;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    toml::node* next = table->get(parts[i]);
    if (!next || !next->is_table()) next = &table->insert_or_assign(parts[i], toml::table{}).first->second;
    table = next->as_table();
  }
  toml::node* existing = table->get(parts.back());
  if (existing && existing->is_table() && value.is_table())
    merge_into(*existing->as_table(), *value.as_table());
  else
    table->insert_or_assign(parts.back(), value);
}

void merge_into(toml::table& into, const toml::table& from) {
  for (const auto& [key, value] : from) {
    toml::node* existing = into.get(key.str());
    if (existing && existing->is_table() && value.is_table())
      merge_into(*existing->as_table(), *value.as_table());
    else
      into.insert_or_assign(key.str(), value);
  }
}

void check_key_inside_tables(const toml::table& root, const std::string& dotted, const SourceLocation& where) {
  const auto parts = split_key(dotted);
  std::string enclosing;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    enclosing = join_key(enclosing, parts[i]);
    const toml::node* node = node_at(root, enclosing);
    if (!node) return;
    if (!node->is_table())
      throw_config_error(
          where, "key '" + dotted + "' goes inside '" + enclosing + "', which is " + describe(*node) + ", not a table");
  }
}

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
