// Internal: the parsed configuration behind an Experiment, a Cell and their Settings views,
// with the origin of every value and the bookkeeping of which keys were read.
#pragma once

#include <toml++/toml.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "config_origins.hpp"
#include "steper/settings.hpp"

namespace steper {

struct ConfigTree {
  std::string file;  // the experiment file, as given
  toml::table config;
  Origins origins;

  // Bookkeeping shared by every Settings view of one cell.
  std::vector<std::string> read_order;  // full dotted keys, in the order first read
  std::set<std::string> read;
  toml::table resolved;  // every key read, with the value used (given or default)
  std::set<std::string> grid_named_plugins;  // plugin tables whose `name` alone a grid value sets

  // Origin of `path`, else of its closest enclosing key that has one, else the file.
  SourceLocation location(const std::string& path) const;
  // Marks a key as read and records the value used.
  void record_read(const std::string& path, const toml::node* value);
  // Whether `path` or anything below it was read.
  bool touched(const std::string& path) const;
};

struct Settings::Impl {
  std::shared_ptr<ConfigTree> tree;
  std::string path;  // dotted path of the viewed table
};

}  // namespace steper
