// The plugin ABI: the descriptor every plugin exports, the plugin kinds, and the
// registration macro. A plugin includes this through its kind's header.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

#include <boost/dll/alias.hpp>

namespace steper {

// Raise whenever any public header under steper/ changes in a way that breaks a built plugin.
inline constexpr int kPluginApiVersion = 7;

enum class PluginKind { dataset, retriever, framework, model, loss };

// One table for kind names (see style.md: "one table for names").
inline constexpr struct {
  PluginKind kind;
  const char* name;
} kPluginKindNames[] = {
    {PluginKind::dataset, "dataset"},     {PluginKind::retriever, "retriever"},
    {PluginKind::framework, "framework"}, {PluginKind::model, "model"},
    {PluginKind::loss, "loss"},
};

const char* to_string(PluginKind kind);
// Throws std::invalid_argument naming the valid kinds.
PluginKind plugin_kind_from_string(std::string_view name);

// Exported by every plugin under the symbol `steper_plugin_descriptor`. Its first field is
// the API version and stays first in every future version, so the loader can always read it.
struct PluginDescriptor {
  int api_version;
  const char* kind;     // to_string(PluginKind)
  const char* name;     // the name experiments use, e.g. "bm25"
  const char* version;  // the plugin's own version, e.g. "1.0.0"
  const char* build;    // build tags the host checks: compiler ABI and LibTorch version
};

class Settings;
class PluginContext;

// Base of every plugin object. Interfaces per kind derive from it; their virtual
// destructors are defined in the core library so their type information is unique.
class Plugin {
 public:
  virtual ~Plugin();
};

using PluginFactory = std::unique_ptr<Plugin> (*)(Settings& settings, PluginContext& context);

namespace detail {
// Build tags compiled into both host and plugin; a mismatch means an incompatible C++ ABI.
#define STEPER_STRINGIFY_(x) #x
#define STEPER_STRINGIFY(x) STEPER_STRINGIFY_(x)
inline constexpr const char* kBuildTags = "gcc-abi-" STEPER_STRINGIFY(__GXX_ABI_VERSION) ";cxx11-abi-" STEPER_STRINGIFY(_GLIBCXX_USE_CXX11_ABI);
}  // namespace detail

}  // namespace steper

// Put once at the bottom of a plugin's source file. Class must be constructible from
// (steper::Settings&, steper::PluginContext&) and derive from the kind's interface.
#define STEPER_PLUGIN(KIND, NAME, VERSION, CLASS)                                              \
  namespace steper_plugin_export {                                                             \
  static_assert(std::is_base_of_v<::steper::KIND, CLASS>, #CLASS " must derive from steper::" #KIND); \
  inline const ::steper::PluginDescriptor* descriptor() {                                      \
    static const ::steper::PluginDescriptor d{::steper::kPluginApiVersion,                     \
                                              ::steper::KIND::kKindName, NAME, VERSION,        \
                                              ::steper::detail::kBuildTags};                   \
    return &d;                                                                                 \
  }                                                                                            \
  inline std::unique_ptr<::steper::Plugin> factory(::steper::Settings& s,                      \
                                                   ::steper::PluginContext& c) {               \
    return std::make_unique<CLASS>(s, c);                                                      \
  }                                                                                            \
  }                                                                                            \
  BOOST_DLL_ALIAS(steper_plugin_export::descriptor, steper_plugin_descriptor)                  \
  BOOST_DLL_ALIAS(steper_plugin_export::factory, steper_plugin_factory)
