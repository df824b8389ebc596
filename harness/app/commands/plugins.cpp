// steper plugins [--experiment FILE]: every plugin found, and where the search looked.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "command.hpp"
#include "open_experiment.hpp"
#include "steper/api.hpp"

namespace steper::commands {
namespace {

int list_plugins(const std::string& experiment_file) {
  const auto folders =
      plugin_search_path(experiment_file.empty() ? std::vector<std::string>{}
                                                 : open_experiment(experiment_file, {}).settings.plugin_path);
  const PluginRegistry registry(folders);
  std::printf("%-10s %-16s %-9s %s\n", "KIND", "NAME", "VERSION", "FILE");
  for (const auto& entry : kPluginKindNames)
    for (const auto& info : registry.plugins())
      if (info.kind == entry.kind)
        std::printf("%-10s %-16s %-9s %s\n", entry.name, info.name.c_str(), info.version.c_str(), info.file.c_str());
  std::printf("\nsearched (first match wins): ");
  for (std::size_t i = 0; i < folders.size(); ++i) std::printf("%s%s", i ? ":" : "", folders[i].c_str());
  std::printf("\nplugin API version %d\n", kPluginApiVersion);
  return 0;
}

}  // namespace

void add_plugins(CLI::App& app, int& exit_code) {
  auto* command = app.add_subcommand("plugins", "List every plugin found: kind, name, version, file");
  auto experiment_file = std::make_shared<std::string>();
  command->add_option("--experiment", *experiment_file, "Also search this experiment's plugin_path")
      ->check(CLI::ExistingFile);
  on_parsed(*command, exit_code, [experiment_file] { return list_plugins(*experiment_file); });
}

}  // namespace steper::commands
