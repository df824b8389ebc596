#include "version.hpp"

#include <cstdio>
#include <filesystem>
#include <memory>

namespace steper {

std::string code_version() {
  static const std::string version = [] {
    std::string result = STEPER_VERSION;
    if (!std::filesystem::exists(std::string(STEPER_SOURCE_DIR) + "/.git")) return result;
    const std::string command = "git -C '" + std::string(STEPER_SOURCE_DIR) + "' describe --always --dirty 2>/dev/null";
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
    if (!pipe) return result;
    char line[128] = {};
    if (std::fgets(line, sizeof line, pipe.get())) {
      std::string described(line);
      while (!described.empty() && (described.back() == '\n' || described.back() == '\r')) described.pop_back();
      if (!described.empty()) result += "+" + described;
    }
    return result;
  }();
  return version;
}

}  // namespace steper
