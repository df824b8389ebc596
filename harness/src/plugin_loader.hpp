// Finds plugin libraries, checks their descriptors, and creates plugin objects by kind and name.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "steper/api.hpp"

namespace steper {

class PluginError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PluginInfo {
  PluginKind kind = PluginKind::dataset;
  std::string name;
  std::string version;
  std::string file;
};

// A library that was found but refused, with the reason (names the file).
struct RejectedPlugin {
  std::string file;
  std::string name;  // from its descriptor, when that could be read
  std::string reason;
};

// The folders searched, most specific first: the experiment's plugin_path, then
// STEPER_PLUGIN_PATH (colon-separated), then the build's plugin folder, then the install
// prefix's (<prefix>/lib/steper/plugins, <prefix> being the folder above the program's). A (kind, name) found twice is taken from the first folder.
std::vector<std::string> plugin_search_path(const std::vector<std::string>& experiment_plugin_path);

class PluginRegistry {
 public:
  // Opens every libsteper_*.so in the folders. Loaded libraries stay loaded until exit,
  // because objects a plugin made point into its code.
  explicit PluginRegistry(const std::vector<std::string>& folders);

  const std::vector<PluginInfo>& plugins() const { return plugins_; }
  const std::vector<RejectedPlugin>& rejected() const { return rejected_; }
  std::vector<std::string> names(PluginKind kind) const;
  // Throws PluginError: an unknown name lists the names available for that kind; a name
  // whose library was refused repeats the reason.
  const PluginInfo& find(PluginKind kind, const std::string& name) const;

  // Makes a plugin object and checks it is of the interface T.
  template <class T>
  std::unique_ptr<T> create(const std::string& name, Settings& settings, PluginContext& context) const {
    std::unique_ptr<Plugin> made = create_plugin(plugin_kind_from_string(T::kKindName), name, settings, context);
    T* typed = dynamic_cast<T*>(made.get());
    if (!typed) throw PluginError(wrong_interface_message(name, T::kKindName));
    made.release();
    return std::unique_ptr<T>(typed);
  }

 private:
  struct Library;
  std::unique_ptr<Plugin> create_plugin(PluginKind kind, const std::string& name, Settings& settings,
                                        PluginContext& context) const;
  std::string wrong_interface_message(const std::string& name, const char* kind) const;
  void open(const std::string& file);

  std::vector<PluginInfo> plugins_;
  std::vector<RejectedPlugin> rejected_;
  std::vector<std::shared_ptr<Library>> libraries_;  // parallel to plugins_
};

}  // namespace steper
