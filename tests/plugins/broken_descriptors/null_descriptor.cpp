// A plugin whose descriptor function returns no descriptor.
#include <boost/dll/alias.hpp>

#include "steper/api.hpp"

namespace {
const steper::PluginDescriptor* descriptor() { return nullptr; }
}  // namespace

BOOST_DLL_ALIAS(descriptor, steper_plugin_descriptor)
