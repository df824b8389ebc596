#include "torch/training_state.hpp"

#include <filesystem>
#include <fstream>

#include <ATen/CPUGeneratorImpl.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "steper/trainable.hpp"
#include "trajectory_io.hpp"

namespace fs = std::filesystem;

namespace steper {
namespace {

constexpr const char* kArchive = "trainer.pt";
constexpr const char* kProgress = "progress.json";
constexpr const char* kLog = "train_log.json";

// Writes `fill(next)` to dir/next and renames it over dir/name (the previous one goes to
// dir/old first, and is removed last).
template <class Fill>
void replace_folder(const fs::path& dir, const std::string& name, Fill fill) {
  const fs::path next = dir / "next", target = dir / name, old = dir / (name + ".old");
  fs::remove_all(next);
  fs::create_directories(next);
  fill(next);
  fs::remove_all(old);
  if (fs::exists(target)) fs::rename(target, old);
  fs::rename(next, target);
  fs::remove_all(old);
}

// dir/name, or dir/name.old when a run died between the two renames.
fs::path complete_folder(const fs::path& dir, const std::string& name) {
  if (fs::exists(dir / name)) return dir / name;
  if (fs::exists(dir / (name + ".old"))) return dir / (name + ".old");
  return {};
}

}  // namespace

TrainingState::TrainingState(std::string state_dir) : dir_(std::move(state_dir)) {}

std::string TrainingState::last_dir() const { return (fs::path(dir_) / "last").string(); }

std::optional<TrainingProgress> TrainingState::saved_progress() const {
  const fs::path last = complete_folder(dir_, "last");
  if (last.empty()) return std::nullopt;
  const fs::path path = last / kProgress;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read the training checkpoint '" + path.string() + "'");
  TrainingProgress progress;
  try {
    const auto json = nlohmann::json::parse(in);
    progress.step = json.at("step").get<std::int64_t>();
    progress.best_step = json.at("best_step").get<std::int64_t>();
    progress.best_score = json.at("best_score").get<double>();
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error("the training checkpoint '" + path.string() + "' is damaged (" + e.what() +
                             "); delete its folder to train afresh");
  }
  progress.rows = read_train_log((last / kLog).string());
  return progress;
}

void TrainingState::load_model(TrainableModel& model) const {
  model.load((complete_folder(dir_, "last") / "model").string());
}

void TrainingState::load_optimizer(torch::optim::Optimizer& optimizer, const std::vector<at::Tensor>& loss_parameters) const {
  const fs::path path = complete_folder(dir_, "last") / kArchive;
  torch::serialize::InputArchive archive;
  archive.load_from(path.string());
  torch::serialize::InputArchive optimizer_archive;
  archive.read("optimizer", optimizer_archive);
  optimizer.load(optimizer_archive);
  torch::NoGradGuard no_grad;
  for (std::size_t i = 0; i < loss_parameters.size(); ++i) {
    at::Tensor saved;
    archive.read("loss/" + std::to_string(i), saved);
    loss_parameters[i].copy_(saved);
  }
  at::Tensor rng;
  archive.read("rng", rng);
  auto generator = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(generator.mutex());
  generator.set_state(rng);
}

void TrainingState::save(TrainableModel& model, const torch::optim::Optimizer& optimizer,
                         const std::vector<at::Tensor>& loss_parameters, const TrainingProgress& progress) const {
  replace_folder(dir_, "last", [&](const fs::path& next) {
    fs::create_directories(next / "model");
    model.save((next / "model").string());
    torch::serialize::OutputArchive archive;
    torch::serialize::OutputArchive optimizer_archive;
    optimizer.save(optimizer_archive);
    archive.write("optimizer", optimizer_archive);
    for (std::size_t i = 0; i < loss_parameters.size(); ++i)
      archive.write("loss/" + std::to_string(i), loss_parameters[i].detach().clone());
    archive.write("rng", at::detail::getDefaultCPUGenerator().get_state());
    archive.save_to((next / kArchive).string());
    write_train_log((next / kLog).string(), progress.rows);
    std::ofstream out(next / kProgress);
    out << nlohmann::json{{"step", progress.step}, {"best_step", progress.best_step}, {"best_score", progress.best_score}}.dump();
    if (!out.flush()) throw std::runtime_error("cannot write '" + (next / kProgress).string() + "'");
  });
}

void TrainingState::save_best(TrainableModel& model) const {
  replace_folder(dir_, "best", [&](const fs::path& next) { model.save(next.string()); });
}

void TrainingState::load_best(TrainableModel& model) const {
  const fs::path best = complete_folder(dir_, "best");
  if (best.empty()) throw std::runtime_error("no best dev checkpoint in '" + dir_ + "'");
  model.load(best.string());
}

}  // namespace steper
