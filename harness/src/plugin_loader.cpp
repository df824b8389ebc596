#include "plugin_loader.hpp"

#include <link.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include <boost/dll/shared_library.hpp>

#include "steper/settings.hpp"

namespace steper {
namespace fs = std::filesystem;

struct PluginRegistry::Library {
  boost::dll::shared_library handle;
  PluginFactory factory = nullptr;
};

namespace {

std::vector<std::string> split_colons(const char* text) {
  std::vector<std::string> parts;
  if (!text) return parts;
  std::stringstream stream(text);
  for (std::string part; std::getline(stream, part, ':');)
    if (!part.empty()) parts.push_back(part);
  return parts;
}

bool is_plugin_file(const fs::path& path) {
  const std::string name = path.filename().string();
  return name.rfind("libsteper_", 0) == 0 && path.extension() == ".so";
}

// Whether `address` lies in an executable segment of a loaded object: a plugin whose descriptor
// symbol names data would otherwise be called and crash the host.
bool is_code(const void* address) {
  struct Search {
    std::uintptr_t address;
    bool found;
  } search{reinterpret_cast<std::uintptr_t>(address), false};
  dl_iterate_phdr(
      [](dl_phdr_info* info, std::size_t, void* data) {
        auto* s = static_cast<Search*>(data);
        for (int i = 0; i < info->dlpi_phnum; ++i) {
          const ElfW(Phdr)& segment = info->dlpi_phdr[i];
          const std::uintptr_t begin = info->dlpi_addr + segment.p_vaddr;
          if (segment.p_type == PT_LOAD && s->address >= begin && s->address < begin + segment.p_memsz) {
            s->found = (segment.p_flags & PF_X) != 0;
            return 1;
          }
        }
        return 0;
      },
      &search);
  return search.found;
}

// The libraries are never unloaded: this keeps every opened one alive until exit.
std::vector<std::shared_ptr<void>>& keep_alive() {
  static auto* libraries = new std::vector<std::shared_ptr<void>>();
  return *libraries;
}

}  // namespace

std::vector<std::string> plugin_search_path(const std::vector<std::string>& experiment_plugin_path) {
  std::vector<std::string> folders = experiment_plugin_path;
  for (auto& folder : split_colons(std::getenv("STEPER_PLUGIN_PATH"))) folders.push_back(folder);
  folders.push_back(STEPER_PLUGIN_BUILD_DIR);
  // The install prefix is found from the program's own location, so a relocated install works.
  std::error_code error;
  const fs::path program = fs::read_symlink("/proc/self/exe", error);
  if (!error) folders.push_back((program.parent_path().parent_path() / STEPER_PLUGIN_INSTALL_DIR).string());
  return folders;
}

PluginRegistry::PluginRegistry(const std::vector<std::string>& folders) {
  for (const auto& folder : folders) {
    std::error_code error;
    if (!fs::is_directory(folder, error)) continue;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(folder, error)) {
      if (!is_plugin_file(entry.path())) continue;
      std::error_code status_error;
      if (entry.is_regular_file(status_error))
        files.push_back(entry.path());
      else if (status_error)  // a dangling link or a link loop
        rejected_.push_back({entry.path().string(), "", "cannot be read: " + status_error.message()});
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) open(fs::absolute(file).lexically_normal().string());
  }
  for (const auto& refused : rejected_)
    std::fprintf(stderr, "steper: warning: skipped %s: %s\n", refused.file.c_str(), refused.reason.c_str());
}

// Checks in a fixed order, naming the file in every message: opens, has the descriptor,
// API version, kind, build tags, has the factory.
void PluginRegistry::open(const std::string& file) {
  auto library = std::make_shared<Library>();
  try {
    library->handle.load(file, boost::dll::load_mode::rtld_lazy | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    rejected_.push_back({file, "", std::string("cannot be opened: ") + e.what()});
    return;
  }
  if (!library->handle.has("steper_plugin_descriptor")) {
    rejected_.push_back({file, "", "is not a steper plugin: it exports no 'steper_plugin_descriptor'"});
    return;
  }
  auto* describe = &library->handle.get_alias<const PluginDescriptor*()>("steper_plugin_descriptor");
  if (!is_code(reinterpret_cast<const void*>(describe))) {
    rejected_.push_back({file, "", "is not a steper plugin: its 'steper_plugin_descriptor' is not a function"});
    return;
  }
  const PluginDescriptor* descriptor = describe();
  if (descriptor == nullptr || !descriptor->kind || !descriptor->name || !descriptor->version || !descriptor->build) {
    rejected_.push_back({file, "", "is not a steper plugin: its descriptor is missing or incomplete"});
    return;
  }
  if (descriptor->api_version != kPluginApiVersion) {
    const std::string name = descriptor->api_version > 0 ? descriptor->name : "";
    rejected_.push_back({file, name,
                         "was built for plugin API version " + std::to_string(descriptor->api_version) +
                             ", but this steper provides version " + std::to_string(kPluginApiVersion) +
                             "; rebuild the plugin against this steper's headers"});
    return;
  }
  PluginInfo info;
  info.name = descriptor->name;
  info.version = descriptor->version;
  info.file = file;
  try {
    info.kind = plugin_kind_from_string(descriptor->kind);
  } catch (const std::invalid_argument& e) {
    rejected_.push_back({file, info.name, std::string("declares an invalid kind: ") + e.what()});
    return;
  }
  if (std::string(descriptor->build) != detail::kBuildTags) {
    rejected_.push_back({file, info.name,
                         "was built with '" + std::string(descriptor->build) + "', but this steper with '" +
                             detail::kBuildTags + "'; rebuild it with the same compiler settings"});
    return;
  }
  if (!library->handle.has("steper_plugin_factory")) {
    rejected_.push_back({file, info.name, "exports no 'steper_plugin_factory'"});
    return;
  }
  library->factory = &library->handle.get_alias<std::unique_ptr<Plugin>(Settings&, PluginContext&)>(
      "steper_plugin_factory");
  for (const auto& known : plugins_)
    if (known.kind == info.kind && known.name == info.name) return;  // shadowed by an earlier folder
  keep_alive().push_back(library);
  plugins_.push_back(info);
  libraries_.push_back(library);
}

std::vector<std::string> PluginRegistry::names(PluginKind kind) const {
  std::vector<std::string> names;
  for (const auto& info : plugins_)
    if (info.kind == kind) names.push_back(info.name);
  std::sort(names.begin(), names.end());
  return names;
}

const PluginInfo& PluginRegistry::find(PluginKind kind, const std::string& name) const {
  for (const auto& info : plugins_)
    if (info.kind == kind && info.name == name) return info;
  for (const auto& refused : rejected_)
    if (refused.name == name) throw PluginError("plugin '" + name + "' (" + refused.file + ") " + refused.reason);
  std::string available;
  for (const auto& known : names(kind)) available += (available.empty() ? "" : ", ") + known;
  throw PluginError("unknown " + std::string(to_string(kind)) + " plugin '" + name + "' (available: " +
                    (available.empty() ? "none found" : available) +
                    "); `steper plugins` lists every plugin and the folders searched");
}

std::unique_ptr<Plugin> PluginRegistry::create_plugin(PluginKind kind, const std::string& name, Settings& settings,
                                                      PluginContext& context) const {
  const PluginInfo& info = find(kind, name);
  const auto index = static_cast<std::size_t>(&info - plugins_.data());
  std::unique_ptr<Plugin> plugin;
  try {
    plugin = libraries_[index]->factory(settings, context);
  } catch (const ConfigError&) {
    throw;
  } catch (const std::exception& e) {
    throw PluginError(std::string(to_string(kind)) + " plugin '" + name + "': " + e.what());
  }
  settings.reject_unread();
  return plugin;
}

std::string PluginRegistry::wrong_interface_message(const std::string& name, const char* kind) const {
  return "plugin '" + name + "' declares kind '" + kind + "' but its factory made an object of another kind";
}

}  // namespace steper
