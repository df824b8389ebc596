// Shared by the configuration tests: a scratch folder for experiment files, and the text of
// the ConfigError a call throws.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "steper/settings.hpp"

namespace steper::testing {

// A fresh folder for one test's experiment files, removed afterwards.
class ExperimentDir {
 public:
  ExperimentDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "steper-config-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~ExperimentDir() { std::filesystem::remove_all(path_); }
  std::string path(const std::string& name) const { return (std::filesystem::path(path_) / name).string(); }
  std::string write(const std::string& name, const std::string& text) const {
    const std::filesystem::path file = path(name);
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file) << text;
    return file.string();
  }

 private:
  std::string path_;
};

template <class F>
std::string config_error(F&& f) {
  try {
    f();
  } catch (const ConfigError& error) {
    return error.what();
  }
  ADD_FAILURE() << "expected a ConfigError";
  return "";
}

}  // namespace steper::testing
