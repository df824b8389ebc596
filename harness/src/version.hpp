#pragma once
#include <string>
namespace steper {
// `git describe --always --dirty` of the source tree when it is a git checkout, else the
// package version.
std::string code_version();
}  // namespace steper
