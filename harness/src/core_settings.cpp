#include "core_settings.hpp"

#include <filesystem>
#include <stdexcept>

#include "compute_controls.hpp"

namespace steper {
namespace fs = std::filesystem;
namespace {
constexpr int kMaxThreads = 1024;  // more than any node has cores; a typo, not a machine
}  // namespace

ExperimentSettings ExperimentSettings::read(const Settings& table, const std::string& default_name) {
  ExperimentSettings s;
  s.name = table.get<std::string>("name", default_name);
  s.description = table.get<std::string>("description", s.description);
  s.results_dir = table.get<std::string>("results_dir", s.results_dir);
  s.cache_dir = table.get<std::string>("cache_dir", s.cache_dir);
  // Relative folders are resolved against the folder of the file that set the list.
  const fs::path origin = fs::path(table.location("plugin_path").file).parent_path();
  for (const auto& folder : table.get<std::vector<std::string>>("plugin_path", {}))
    s.plugin_path.push_back(fs::path(folder).is_absolute() ? folder : (origin / folder).string());
  if (s.name.empty() || s.name == "." || s.name == ".." || s.name.find_first_of("/\\") != std::string::npos ||
      s.name.find('\0') != std::string::npos)
    table.fail("name", "a non-empty name without '/', other than '.' and '..' (it names the results folder)");
  table.reject_unread();
  return s;
}

RunSettings RunSettings::read(const Settings& table) {
  RunSettings s;
  s.device = table.get<std::string>("device", s.device);
  s.threads = table.get<int>("threads", s.threads);
  s.max_error_rate = table.get<double>("max_error_rate", s.max_error_rate);
  if (s.device != "cpu" && s.device != "cuda") table.fail("device", "\"cpu\" or \"cuda\"");
  if (s.device == "cuda" && cuda_device_count() == 0)
    table.fail("device", "\"cpu\": LibTorch sees no CUDA GPU here (Debian's libtorch-dev is CPU-only; build against "
                         "a CUDA LibTorch with -DCMAKE_PREFIX_PATH, see the README's GPU builds)");
  if (s.threads < 0 || s.threads > kMaxThreads)
    table.fail("threads", "a thread count from 0 to " + std::to_string(kMaxThreads) + " (0: LibTorch's default)");
  if (s.max_error_rate < 0 || s.max_error_rate > 1) table.fail("max_error_rate", "a share from 0 to 1");
  table.reject_unread();
  return s;
}

EvalSettings EvalSettings::read(const Settings& table) {
  EvalSettings s;
  const std::string split = table.get<std::string>("split", "test");
  try {
    s.split = split_from_string(split);
  } catch (const std::invalid_argument&) {
    table.fail("split", "\"train\", \"dev\" or \"test\"");
  }
  s.questions = table.get<int>("questions", s.questions);
  s.model = table.get<std::string>("model", s.model);
  s.teacher_trajectories = table.get<bool>("teacher_trajectories", s.teacher_trajectories);
  if (s.questions < 0) table.fail("questions", "a question count >= 0 (0: all)");
  if (s.model != "student" && s.model != "teacher") table.fail("model", "\"student\" or \"teacher\"");
  table.reject_unread();
  return s;
}

}  // namespace steper
