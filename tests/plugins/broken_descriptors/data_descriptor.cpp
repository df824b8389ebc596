// A plugin whose descriptor symbol names data, not a function: calling it would jump into data.
#include <boost/config.hpp>

extern "C" BOOST_SYMBOL_EXPORT const char steper_plugin_descriptor[] = "not code";
