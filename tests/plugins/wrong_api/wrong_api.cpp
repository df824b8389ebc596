// A plugin built for another plugin-API version, for the loader's tests. It exports its
// descriptor by hand (not through STEPER_PLUGIN) so that it can declare the wrong version.
#include <boost/dll/alias.hpp>

#include "steper/api.hpp"

namespace {

const steper::PluginDescriptor* descriptor() {
  static const steper::PluginDescriptor wrong_version{steper::kPluginApiVersion + 1, "retriever", "wrong_api",
                                                      "1.0.0", steper::detail::kBuildTags};
  return &wrong_version;
}

}  // namespace

BOOST_DLL_ALIAS(descriptor, steper_plugin_descriptor)
