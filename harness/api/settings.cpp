// Settings: typed reads of one table of a cell, with the read bookkeeping behind
// reject_unread() and Cell::resolved_toml().
#include <algorithm>
#include <climits>
#include <cmath>
#include <filesystem>
#include <optional>
#include <type_traits>

#include "config_text.hpp"
#include "config_toml.hpp"
#include "config_tree.hpp"
#include "plugin_tables.hpp"

namespace steper {

std::string SourceLocation::str() const {
  if (line == 0) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

namespace {

// The TOML types behind the C++ types a plugin may read.
template <class T>
struct Scalar;
template <>
struct Scalar<bool> {
  static constexpr const char* name = "a boolean";
  static constexpr const char* plural = "booleans";
  static std::optional<bool> from(const toml::node& node) { return node.value_exact<bool>(); }
};
template <>
struct Scalar<std::int64_t> {
  static constexpr const char* name = "an integer";
  static constexpr const char* plural = "integers";
  static std::optional<std::int64_t> from(const toml::node& node) { return node.value_exact<std::int64_t>(); }
};
template <>
struct Scalar<double> {
  static constexpr const char* name = "a float";
  static constexpr const char* plural = "floats";
  static std::optional<double> from(const toml::node& node) {
    return node.is_number() ? node.value<double>() : std::nullopt;  // integers are accepted
  }
};
template <>
struct Scalar<std::string> {
  static constexpr const char* name = "a string";
  static constexpr const char* plural = "strings";
  static std::optional<std::string> from(const toml::node& node) { return node.value_exact<std::string>(); }
};

// No setting means anything by nan or inf: TOML allows them, the harness refuses them.
template <class T>
void require_finite(const ConfigTree& tree, const std::string& key, const T& value) {
  if constexpr (std::is_floating_point_v<T>)
    if (!std::isfinite(value))
      throw_config_error(tree.location(key), "key '" + key + "' must be a finite number, found " +
                                                 std::string(std::isnan(value) ? "nan" : value > 0 ? "inf" : "-inf"));
}

template <class T>
struct Conversion {
  static std::string expected() { return Scalar<T>::name; }
  static T from(const ConfigTree& tree, const std::string& key, const toml::node& node) {
    auto value = Scalar<T>::from(node);
    if (!value)
      throw_config_error(tree.location(key), "key '" + key + "' must be " + expected() + ", found " + describe(node));
    require_finite(tree, key, *value);
    return *value;
  }
};

template <>
struct Conversion<int> {
  static std::string expected() { return "an integer"; }
  static int from(const ConfigTree& tree, const std::string& key, const toml::node& node) {
    const std::int64_t value = Conversion<std::int64_t>::from(tree, key, node);
    if (value < INT_MIN || value > INT_MAX)
      throw_config_error(tree.location(key), "key '" + key + "' = " + std::to_string(value) +
                                                 ": expected an integer between " + std::to_string(INT_MIN) + " and " +
                                                 std::to_string(INT_MAX));
    return static_cast<int>(value);
  }
};

template <class E>
struct Conversion<std::vector<E>> {
  static std::string expected() { return std::string("an array of ") + Scalar<E>::plural; }
  static std::vector<E> from(const ConfigTree& tree, const std::string& key, const toml::node& node) {
    const toml::array* array = node.as_array();
    if (!array)
      throw_config_error(tree.location(key), "key '" + key + "' must be " + expected() + ", found " + describe(node));
    std::vector<E> values;
    for (std::size_t i = 0; i < array->size(); ++i) {
      const std::string element = key + "[" + std::to_string(i) + "]";
      auto value = Scalar<E>::from(*array->get(i));
      if (!value)
        throw_config_error(tree.location(element), "key '" + key + "' must be " + expected() + "; " + element + " is " +
                                                       describe(*array->get(i)));
      require_finite(tree, element, *value);
      values.push_back(*value);
    }
    return values;
  }
};

template <class T>
struct IsVector : std::false_type {};
template <class E>
struct IsVector<std::vector<E>> : std::true_type {};

template <class T>
void record_value(ConfigTree& tree, const std::string& key, const T& value) {
  toml::array holder;  // builds the toml++ node for T
  if constexpr (IsVector<T>::value) {
    toml::array values;
    for (const auto& element : value) values.push_back(element);
    holder.push_back(std::move(values));
  } else {
    holder.push_back(value);
  }
  tree.record_read(key, holder.get(0));
}

// The node at a full dotted key, or nullptr; an enclosing value that is no table is an error.
const toml::node* lookup(const ConfigTree& tree, const std::string& key) {
  const auto parts = split_key(key);
  const toml::table* table = &tree.config;
  std::string walked;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    walked = join_key(walked, parts[i]);
    const toml::node* node = table->get(parts[i]);
    if (!node || i + 1 == parts.size()) return node;
    table = node->as_table();
    if (!table)
      throw_config_error(tree.location(walked), "key '" + walked + "' must be a table, found " + describe(*node));
  }
  return nullptr;
}

bool in_plugin_table(const std::string& path) { return is_plugin_table(split_key(path).front()); }

void collect_unread(const ConfigTree& tree, const toml::table& table, const std::string& path,
                    std::vector<std::string>& out) {
  for (const auto& [key, value] : table) {
    const std::string full = join_key(path, key.str());
    const toml::table* inner = value.as_table();
    if (inner && !inner->empty())
      collect_unread(tree, *inner, full, out);
    else if (inner ? !tree.touched(full) : tree.read.count(full) == 0)
      out.push_back(full);
  }
}

}  // namespace

Settings::Settings(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

const std::string& Settings::path() const { return impl_->path; }

bool Settings::has(std::string_view key) const {
  return node_at(impl_->tree->config, join_key(impl_->path, key)) != nullptr;
}

template <class T>
T Settings::get(std::string_view key, const T& fallback) const {
  ConfigTree& tree = *impl_->tree;
  const std::string full = join_key(impl_->path, key);
  const toml::node* node = lookup(tree, full);
  T value = node ? Conversion<T>::from(tree, full, *node) : fallback;
  record_value(tree, full, value);
  return value;
}

template <class T>
T Settings::require(std::string_view key) const {
  ConfigTree& tree = *impl_->tree;
  const std::string full = join_key(impl_->path, key);
  if (!lookup(tree, full)) {
    tree.record_read(full, nullptr);
    const std::size_t cut = full.rfind('.');
    throw_config_error(tree.location(full), "table [" + full.substr(0, cut) + "] needs key '" + full.substr(cut + 1) +
                                                "' (" + Conversion<T>::expected() + ")");
  }
  return get<T>(key, T{});
}

#define STEPER_SETTINGS_READS(T)                                 \
  template T Settings::get<T>(std::string_view, const T&) const; \
  template T Settings::require<T>(std::string_view) const;
STEPER_SETTINGS_READS(int)
STEPER_SETTINGS_READS(std::int64_t)
STEPER_SETTINGS_READS(double)
STEPER_SETTINGS_READS(bool)
STEPER_SETTINGS_READS(std::string)
STEPER_SETTINGS_READS(std::vector<std::string>)
STEPER_SETTINGS_READS(std::vector<double>)
STEPER_SETTINGS_READS(std::vector<std::int64_t>)
#undef STEPER_SETTINGS_READS

std::string Settings::get_path(std::string_view key, const std::string& fallback) const {
  const std::string value = get<std::string>(key, fallback);
  if (!has(key) || value.empty() || std::filesystem::path(value).is_absolute()) return value;
  const SourceLocation where = location(key);
  if (where.file == "--set") return value;  // relative to the working folder, like any argument
  return (std::filesystem::path(where.file).parent_path() / value).lexically_normal().string();
}

Settings Settings::table(std::string_view key) const {
  ConfigTree& tree = *impl_->tree;
  const std::string full = join_key(impl_->path, key);
  if (const toml::node* node = lookup(tree, full); node && !node->is_table())
    throw_config_error(tree.location(full), "key '" + full + "' must be a table, found " + describe(*node));
  tree.record_read(full, nullptr);
  return Settings(std::make_shared<Impl>(Impl{impl_->tree, full}));
}

void Settings::fail(std::string_view key, const std::string& expected) const {
  const ConfigTree& tree = *impl_->tree;
  const std::string full = join_key(impl_->path, key);
  const toml::node* value = node_at(tree.config, full);
  if (!value) value = node_at(tree.resolved, full);  // a default that a getter filled in
  throw_config_error(tree.location(full),
                     "key '" + full + "'" + (value ? " = " + value_text(*value) : "") + ": expected " + expected);
}

SourceLocation Settings::location(std::string_view key) const {
  return impl_->tree->location(join_key(impl_->path, key));
}

std::vector<std::string> Settings::unread_keys() const {
  const ConfigTree& tree = *impl_->tree;
  std::vector<std::string> unread;
  const toml::node* node = node_at(tree.config, impl_->path);
  if (!node || !node->is_table()) return unread;
  collect_unread(tree, *node->as_table(), impl_->path, unread);
  auto order = [&](const std::string& key) {
    auto it = tree.origins.find(key);
    return it == tree.origins.end() ? 0 : it->second.order;
  };
  std::stable_sort(unread.begin(), unread.end(), [&](const auto& a, const auto& b) { return order(a) < order(b); });
  return unread;
}

void Settings::reject_unread() const {
  const std::vector<std::string> unread = unread_keys();
  if (unread.empty()) return;
  const ConfigTree& tree = *impl_->tree;
  std::string reads;
  for (const auto& key : tree.read_order) {
    if (key != impl_->path && key_within(key, impl_->path))
      reads += (reads.empty() ? "" : ", ") + key.substr(impl_->path.size() + 1);
  }
  const std::string reader = in_plugin_table(impl_->path) ? "this plugin reads" : "the harness reads";
  std::string hint;
  if (tree.grid_named_plugins.count(impl_->path))
    hint = "; the grid sets '" + impl_->path + ".name' alone, so the other keys of [" + impl_->path +
           "] reach every plugin it names: give each plugin its own table instead, e.g. grid." + impl_->path +
           " = [{ name = \"a\" }, { name = \"b\", key = 1 }]";
  throw_config_error(tree.location(unread.front()), "unknown key '" + unread.front() + "' (" + reader +
                                                        (reads.empty() ? " no keys" : ": " + reads) + ")" + hint);
}

std::string Settings::to_toml() const {
  const toml::node* node = node_at(impl_->tree->config, impl_->path);
  return node && node->is_table() ? to_toml_text(*node->as_table()) : "";
}

}  // namespace steper
