// Makes the `openai` plugin through the host's loader from the TOML of its table, and keeps
// the log lines it writes.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "config.hpp"
#include "plugin_loader.hpp"
#include "run_log.hpp"
#include "steper/model.hpp"

namespace steper::openai {

class OpenAiPlugin : public ::testing::Test {
 protected:
  OpenAiPlugin() {
    std::filesystem::create_directories(folder_);
    log_.set_sink([this](const std::string& line) { log_lines.push_back(line); });
  }
  ~OpenAiPlugin() override { std::filesystem::remove_all(folder_); }

  std::unique_ptr<Model> make(const std::string& settings_toml) {
    const auto path = folder_ / ("experiment" + std::to_string(files_++) + ".toml");
    std::ofstream(path) << "[teacher]\nname = \"openai\"\n" << settings_toml;
    const Cell cell = Experiment::load(path.string()).cells().front();
    Settings settings = cell.settings("teacher");
    auto model = registry_.create<Model>(settings.require<std::string>("name"), settings, context_);
    settings.reject_unread();
    return model;
  }
  std::string config_error(const std::string& settings_toml) {
    try {
      make(settings_toml);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "(no error)";
  }

  static GenerationRequest request(const std::string& prompt, std::vector<std::string> stop = {"\n"}) {
    GenerationRequest r;
    r.prompt = prompt;
    r.stop = std::move(stop);
    r.max_new_tokens = 32;
    return r;
  }

  std::vector<std::string> log_lines;

 private:
  std::filesystem::path folder_ =
      std::filesystem::temp_directory_path() / ("steper_openai_test_" + std::to_string(std::random_device()()));
  int files_ = 0;
  PluginRegistry registry_{{STEPER_OPENAI_PLUGIN_DIR}};
  RunLog log_;
  HostContext context_{log_, 1, "cpu", folder_.string()};
};

}  // namespace steper::openai
