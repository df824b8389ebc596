// Experiment files on disk: reading, TOML parse errors, `base` chains, --set arguments.
#include "config_load.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "config_text.hpp"
#include "config_toml.hpp"
#include "plugin_tables.hpp"
#include "toml_depth.hpp"

namespace steper {
namespace fs = std::filesystem;
namespace {

constexpr std::uintmax_t kMaxExperimentFileBytes = std::uintmax_t{16} << 20;

// `what` names the file in the message; `included_at` is where a base file was named.
std::string read_text(const std::string& file, const std::string& what, const SourceLocation* included_at) {
  std::string reason;
  std::error_code error;
  const fs::file_status status = fs::status(file, error);
  if (fs::is_directory(status)) {
    reason = "it is a folder";
  } else if (fs::exists(status) && !fs::is_regular_file(status)) {
    reason = "it is not a regular file (a device, pipe or socket)";  // would block or never end
  } else if (fs::exists(status) && fs::file_size(file, error) > kMaxExperimentFileBytes) {
    reason = "it is larger than " + std::to_string(kMaxExperimentFileBytes >> 20) + " MiB";
  } else {
    std::ifstream in(file, std::ios::binary);
    if (in) {
      std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
      if (!in.bad()) return text;
    }
    reason = std::strerror(errno);
  }
  const std::string message = "cannot read " + what + " '" + file + "': " + reason;
  if (included_at) throw_config_error(*included_at, message);
  throw ConfigError(message);
}

toml::table parse_toml(const std::string& text, const std::string& file) {
  check_toml_depth(text, file);
  try {
    return toml::parse(text, std::string_view(file));
  } catch (const toml::parse_error& error) {
    const auto& begin = error.source().begin;
    throw_config_error({file, static_cast<int>(begin.line), static_cast<int>(begin.column)},
                       std::string(error.description()));
  }
}

// A child that names another plugin for a table starts that table afresh: the base's other
// keys there belong to the plugin it replaced.
void drop_switched_plugin_tables(toml::table& base, const toml::table& child) {
  for (const auto& entry : kPluginTables) {
    const toml::node* child_name = node_at(child, std::string(entry.table) + ".name");
    const toml::node* base_name = node_at(base, std::string(entry.table) + ".name");
    if (child_name && base_name && child_name->value<std::string>() != base_name->value<std::string>())
      base.erase(entry.table);
  }
}

class FileLoader {
 public:
  explicit FileLoader(ConfigTree& tree) : tree_(tree) {}

  toml::table load(const std::string& file, const SourceLocation* included_at) {
    std::error_code error;
    const fs::path identity = fs::weakly_canonical(file, error);
    chain_.push_back({identity, file});
    toml::table doc = parse_toml(read_text(file, included_at ? "base file" : "experiment file", included_at), file);
    toml::table merged;
    if (auto base = doc.find("base"); base != doc.end()) merged = load_base(file, base->first, base->second);
    const OriginSource source{file, files_read_++};
    for (const auto& [key, value] : doc)
      record_origins(value, std::string(key.str()), key.source(), source, tree_.origins);
    doc.erase("base");
    drop_switched_plugin_tables(merged, doc);
    merge_into(merged, doc);
    chain_.pop_back();
    return merged;
  }

  std::int64_t files_read() const { return files_read_; }

 private:
  toml::table load_base(const std::string& file, const toml::key& key, const toml::node& value) {
    const SourceLocation at{file, static_cast<int>(key.source().begin.line),
                            static_cast<int>(key.source().begin.column)};
    if (!value.is_string())
      throw_config_error(
          at, "key 'base' must be a string naming the experiment file to inherit from, found " + describe(value));
    const std::string base = (fs::path(file).parent_path() / value.as_string()->get()).lexically_normal().string();
    std::error_code error;
    const fs::path identity = fs::weakly_canonical(base, error);
    for (const auto& [seen, shown] : chain_) {
      if (seen != identity) continue;
      std::string cycle;
      for (const auto& link : chain_) cycle += link.second + " -> ";
      throw_config_error(at, "base files form a cycle: " + cycle + base);
    }
    return load(base, &at);
  }

  ConfigTree& tree_;
  std::vector<std::pair<fs::path, std::string>> chain_;  // files being read: identity, name shown
  std::int64_t files_read_ = 0;
};

bool is_dotted_key(const std::string& key) {
  const auto parts = split_key(key);
  return std::all_of(parts.begin(), parts.end(), [](const std::string& part) { return is_bare_key(part); });
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

}  // namespace

std::int64_t load_experiment_files(const std::string& file, ConfigTree& tree) {
  FileLoader loader(tree);
  tree.config = loader.load(file, nullptr);
  return loader.files_read();
}

Override parse_override(const std::string& argument, int index, std::int64_t rank, Origins& origins) {
  const std::size_t equals = argument.find('=');
  Override result;
  result.argument = argument;
  if (equals != std::string::npos) result.key = trim(argument.substr(0, equals));
  if (equals == std::string::npos || !is_dotted_key(result.key))
    throw ConfigError("invalid --set argument '" + argument +
                      "': expected KEY=VALUE with a dotted key, e.g. train.lr=0.001");

  const std::string value = argument.substr(equals + 1);
  // The value is parsed as the document "v = VALUE": its column c is argument column c + shift.
  const int shift = static_cast<int>(equals) - 3;
  const OriginSource source{"--set", rank, index + 1, shift};
  result.where = {"--set", index + 1, static_cast<int>(equals) + 2};
  if (split_key(result.key).size() > static_cast<std::size_t>(kMaxTomlDepth))
    throw ConfigError("invalid --set argument: its key has more than " + std::to_string(kMaxTomlDepth) + " parts");
  check_toml_depth("v = " + value, "--set");
  try {
    result.holder = toml::parse("v = " + value, std::string_view("--set"));
    if (result.holder.size() != 1 || !result.holder.get("v"))
      throw_config_error(result.where, "invalid value in --set '" + argument + "': expected one TOML value");
    result.where.column = static_cast<int>(result.value().source().begin.column) + shift;
    record_origins(result.value(), result.key, result.value().source(), source, origins);
  } catch (const toml::parse_error& error) {
    if (value.find_first_of("\"'[]{}") != std::string::npos)
      throw_config_error({"--set", index + 1, static_cast<int>(error.source().begin.column) + shift},
                         "invalid value in --set '" + argument + "': " + std::string(error.description()));
    result.holder.insert_or_assign("v", trim(value));
    auto [entry, inserted] = origins.try_emplace(result.key, Origin{result.where, rank << 40});
    if (!inserted) entry->second.where = result.where;
  }
  record_enclosing_origins(origins, result.key, origins.at(result.key));
  return result;
}

}  // namespace steper
