// A shared library named like a plugin that exports no steper symbols, for the loader's tests.
#include <boost/config.hpp>

extern "C" BOOST_SYMBOL_EXPORT int no_descriptor_answer() { return 42; }
