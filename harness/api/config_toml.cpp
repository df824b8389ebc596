#include "config_toml.hpp"

#include "config_text.hpp"

namespace steper {

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

}  // namespace steper
