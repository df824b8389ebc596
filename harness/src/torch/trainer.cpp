#include "trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>

#include <ATen/autocast_mode.h>
#include <fmt/format.h>
#include <torch/torch.h>

#include "steper/compute.hpp"
#include "run_log.hpp"
#include "steper/loss.hpp"
#include "steper/settings.hpp"
#include "steper/trainable.hpp"

namespace steper {
namespace {

// Turns bf16 autocast on for its lifetime.
class Bf16Autocast {
 public:
  explicit Bf16Autocast(bool on) : on_(on) {
    if (!on_) return;
    at::autocast::set_cpu_enabled(true);
    at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
  }
  ~Bf16Autocast() {
    if (!on_) return;
    at::autocast::clear_cache();
    at::autocast::set_cpu_enabled(false);
  }

 private:
  bool on_;
};

std::vector<std::size_t> usable_samples(const Loss& loss, const std::vector<StepSample>& samples) {
  std::vector<std::size_t> usable;
  for (std::size_t i = 0; i < samples.size(); ++i)
    if (loss.uses(samples[i].kind)) usable.push_back(i);
  return usable;
}

std::vector<at::Tensor> parameters_of(torch::optim::Optimizer& optimizer) {
  std::vector<at::Tensor> all;
  for (auto& group : optimizer.param_groups())
    for (auto& p : group.params()) all.push_back(p);
  return all;
}

}  // namespace

TrainSettings TrainSettings::read(const Settings& table) {
  TrainSettings s;
  s.steps = table.get<std::int64_t>("steps", s.steps);
  s.batch_size = table.get<int>("batch_size", s.batch_size);
  s.lr = table.get<double>("lr", s.lr);
  s.warmup_steps = table.get<std::int64_t>("warmup_steps", s.warmup_steps);
  s.schedule = table.get<std::string>("schedule", s.schedule);
  s.min_lr_ratio = table.get<double>("min_lr_ratio", s.min_lr_ratio);
  s.clip_norm = table.get<double>("clip_norm", s.clip_norm);
  s.weight_decay = table.get<double>("weight_decay", s.weight_decay);
  s.precision = table.get<std::string>("precision", s.precision);
  s.filter = table.get<std::string>("filter", s.filter);
  s.bridge_filter = table.get<bool>("bridge_filter", s.bridge_filter);
  if (s.steps < 0) table.fail("steps", "a number of steps >= 0");
  if (s.batch_size < 1) table.fail("batch_size", "a batch size >= 1");
  if (!(s.lr > 0)) table.fail("lr", "a learning rate > 0");
  if (s.weight_decay < 0) table.fail("weight_decay", "a weight decay >= 0");
  if (s.warmup_steps < 0) table.fail("warmup_steps", "a number of steps >= 0");
  if (s.schedule != "constant" && s.schedule != "cosine" && s.schedule != "linear")
    table.fail("schedule", "one of \"constant\", \"cosine\", \"linear\"");
  if (!(s.min_lr_ratio >= 0 && s.min_lr_ratio <= 1)) table.fail("min_lr_ratio", "a ratio between 0 and 1");
  if (!(s.clip_norm >= 0)) table.fail("clip_norm", "a gradient norm >= 0 (0 = no clipping)");
  if (s.precision != "auto" && s.precision != "fp32" && s.precision != "bf16")
    table.fail("precision", "one of \"auto\", \"fp32\", \"bf16\"");
  if (s.filter != "acc" && s.filter != "em" && s.filter != "none")
    table.fail("filter", "one of \"acc\", \"em\", \"none\"");
  table.reject_unread();
  return s;
}

double learning_rate_at(const TrainSettings& s, std::int64_t step) {
  if (s.warmup_steps > 0 && step <= s.warmup_steps) return s.lr * static_cast<double>(step) / static_cast<double>(s.warmup_steps);
  if (s.schedule == "constant" || s.steps <= s.warmup_steps) return s.lr;
  const double progress = static_cast<double>(step - s.warmup_steps) / static_cast<double>(s.steps - s.warmup_steps);
  const double decay = s.schedule == "cosine" ? 0.5 * (1.0 + std::cos(M_PI * progress)) : 1.0 - progress;
  return s.lr * (s.min_lr_ratio + (1.0 - s.min_lr_ratio) * decay);
}

std::string train_precision(const TrainSettings& settings) {
  return settings.precision == "bf16" || (settings.precision == "auto" && cpu_has_bf16()) ? "bf16" : "fp32";
}

TrainSummary train_student(TrainableModel& model, Loss& loss, const std::vector<StepSample>& samples,
                           const TrainSettings& settings, std::uint64_t seed, RunLog& log,
                           const std::function<void(const TrainLogRow&)>& on_step) {
  TrainSummary summary;
  summary.precision = train_precision(settings);
  const bool bf16 = summary.precision == "bf16";
  std::vector<std::size_t> order = usable_samples(loss, samples);
  if (order.empty()) throw std::runtime_error("no training samples of a kind the loss uses");

  // The loss's own parameters (StepER's log-variances) get no weight decay: it would pull
  // every sigma towards 1.
  const auto options = torch::optim::AdamWOptions(settings.lr).weight_decay(settings.weight_decay);
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(model.parameters(), std::make_unique<torch::optim::AdamWOptions>(options));
  if (!loss.parameters().empty())
    groups.emplace_back(loss.parameters(),
                        std::make_unique<torch::optim::AdamWOptions>(torch::optim::AdamWOptions(settings.lr).weight_decay(0)));
  torch::optim::AdamW optimizer(groups, options);
  std::mt19937_64 shuffle_rng(seed);
  std::size_t cursor = order.size();  // forces a shuffle before the first batch
  model.set_training(true);
  log.info(fmt::format("training {} steps on {} samples, batch {}, lr {} ({}, {} warm-up steps), {}", settings.steps,
                       order.size(), settings.batch_size, settings.lr, settings.schedule, settings.warmup_steps,
                       summary.precision));
  auto progress = make_progress(log, "train", static_cast<std::size_t>(settings.steps));

  const auto start = std::chrono::steady_clock::now();
  std::int64_t total_tokens = 0;
  for (std::int64_t step = 1; step <= settings.steps; ++step) {
    std::vector<StepSample> batch;
    while (static_cast<int>(batch.size()) < settings.batch_size) {
      if (cursor == order.size()) {
        std::shuffle(order.begin(), order.end(), shuffle_rng);
        cursor = 0;
      }
      batch.push_back(samples[order[cursor++]]);
    }
    std::vector<StepKind> kinds;
    for (const auto& sample : batch) kinds.push_back(sample.kind);

    const auto step_start = std::chrono::steady_clock::now();
    const double lr = learning_rate_at(settings, step);
    for (auto& group : optimizer.param_groups()) static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
    optimizer.zero_grad();
    LossReport report;
    at::Tensor objective;
    BatchLosses losses;
    {
      Bf16Autocast autocast(bf16);
      losses = model.sample_losses(batch);
      objective = loss.combine(losses.per_sample.to(at::kFloat), kinds, report);
    }
    const double value = objective.item<double>();
    if (!std::isfinite(value))
      throw std::runtime_error(fmt::format("training loss is {} at step {}; stopping this cell", value, step));
    objective.backward();
    if (settings.clip_norm > 0) torch::nn::utils::clip_grad_norm_(parameters_of(optimizer), settings.clip_norm);
    optimizer.step();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - step_start).count();
    total_tokens += losses.total_tokens;

    TrainLogRow row;
    row.step = step;
    row.loss = value;
    row.kind_loss = report.kind_loss;
    row.kind_weight = report.kind_weight;
    row.learning_rate = lr;
    row.tokens_per_s = seconds > 0 ? losses.total_tokens / seconds : 0;
    on_step(row);
    progress->advance();
  }
  progress.reset();
  model.set_training(false);
  summary.steps = settings.steps;
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  summary.tokens_per_s = summary.seconds > 0 ? total_tokens / summary.seconds : 0;
  return summary;
}

}  // namespace steper
