#include "torch/trainer.hpp"

#include <chrono>
#include <cmath>
#include <limits>
#include <optional>

#include <fmt/format.h>
#include <torch/torch.h>

#include "batch_plan.hpp"
#include "torch/data_parallel.hpp"
#include "run_log.hpp"
#include "steper/loss.hpp"
#include "steper/trainable.hpp"
#include "steper/bf16_autocast.hpp"
#include "torch/training_state.hpp"

namespace steper {
namespace {

std::array<bool, kStepKindCount> kinds_used(const Loss& loss) {
  std::array<bool, kStepKindCount> used{};
  for (const auto& entry : kStepKindNames) used[static_cast<int>(entry.kind)] = loss.uses(entry.kind);
  return used;
}

std::vector<at::Tensor> parameters_of(torch::optim::Optimizer& optimizer) {
  std::vector<at::Tensor> all;
  for (auto& group : optimizer.param_groups())
    for (auto& p : group.params()) all.push_back(p);
  return all;
}

// Group 0 holds the model's parameters; group 1, if the loss has any (StepER's log-variances),
// the loss's, without weight decay (it would pull every sigma towards 1).
std::unique_ptr<torch::optim::AdamW> make_optimizer(TrainableModel& model, Loss& loss, const TrainSettings& settings) {
  const auto options = torch::optim::AdamWOptions(settings.lr).weight_decay(settings.weight_decay);
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(model.parameters(), std::make_unique<torch::optim::AdamWOptions>(options));
  if (!loss.parameters().empty())
    groups.emplace_back(loss.parameters(), std::make_unique<torch::optim::AdamWOptions>(
                                               torch::optim::AdamWOptions(settings.lr).weight_decay(0)));
  return std::make_unique<torch::optim::AdamW>(groups, options);
}

void set_learning_rate(torch::optim::Optimizer& optimizer, double model_lr, double loss_lr_scale) {
  auto& groups = optimizer.param_groups();
  for (std::size_t g = 0; g < groups.size(); ++g)
    static_cast<torch::optim::AdamWOptions&>(groups[g].options()).lr(g == 0 ? model_lr : model_lr * loss_lr_scale);
}

// Per-kind means over the micro-batches of one step (a kind absent from all stays NaN).
class StepReport {
 public:
  void add(const LossReport& report) {
    for (int k = 0; k < kStepKindCount; ++k) {
      if (std::isnan(report.kind_loss[k])) continue;
      loss_sum_[k] += report.kind_loss[k];
      ++loss_count_[k];
      weight_[k] = report.kind_weight[k];
    }
  }
  void fill(TrainLogRow& row) const {
    for (int k = 0; k < kStepKindCount; ++k) {
      row.kind_loss[k] = loss_count_[k] ? loss_sum_[k] / loss_count_[k] : std::numeric_limits<double>::quiet_NaN();
      row.kind_weight[k] = loss_count_[k] ? weight_[k] : std::numeric_limits<double>::quiet_NaN();
    }
  }

 private:
  std::array<double, kStepKindCount> loss_sum_{}, weight_{};
  std::array<int, kStepKindCount> loss_count_{};
};

std::string nan_message(double value, std::int64_t step, const TrainingProgress& checkpoint, const TrainingState* state) {
  std::string message = fmt::format("training loss is {} at step {}; stopping this cell", value, step);
  if (state && checkpoint.step > 0)
    return message + fmt::format(". The last good checkpoint (step {}) is kept in '{}'", checkpoint.step, state->last_dir());
  return message + " (no checkpoint was saved before it)";
}

}  // namespace

TrainSummary train_student(const TrainingJob& job) {
  const TrainSettings& settings = job.settings;
  TrainSummary summary;
  summary.precision = train_precision(settings);
  const bool bf16 = summary.precision == "bf16";
  const int world = job.parallel ? job.parallel->world_size() : 1;
  const int rank = job.parallel ? job.parallel->rank() : 0;
  const bool writes = rank == 0;  // checkpoints and the best weights
  // Every rank draws the same global batches and trains on its slice of each.
  BatchPlan plan(job.samples, kinds_used(job.loss), settings, settings.batch_size * world, job.seed);
  const std::int64_t total_steps = settings.total_steps(plan.usable_samples(), world);
  summary.steps = total_steps;
  if (settings.keep == "best" && job.state_dir.empty())
    throw std::logic_error("train_student: keep = \"best\" needs a state folder");

  std::optional<TrainingState> state;
  if (!job.state_dir.empty()) state.emplace(job.state_dir);
  TrainingProgress progress;
  if (state)
    if (auto saved = state->saved_progress()) {
      progress = std::move(*saved);
      state->load_model(job.model);
    }
  auto optimizer = make_optimizer(job.model, job.loss, settings);
  if (progress.step > 0) {
    state->load_optimizer(*optimizer, job.loss.parameters());
    if (job.on_step)
      for (const auto& row : progress.rows) job.on_step(row);
    for (std::int64_t i = 0; i < progress.step * settings.accumulation; ++i) plan.next();  // the same batches again
    summary.resumed_from = progress.step;
    job.log.info(fmt::format("resuming training at step {} of {} from '{}'", progress.step + 1, total_steps,
                             state->last_dir()));
  }
  TrainingProgress last_saved = progress;
  std::vector<at::Tensor> all_parameters = parameters_of(*optimizer);
  if (job.parallel) job.parallel->broadcast_from_rank0(all_parameters);

  job.model.set_training(true);
  const std::string loss_lr = job.loss.parameters().empty() || job.loss.parameter_lr_scale() == 1.0
                                  ? ""
                                  : fmt::format(", the loss's parameters at {}x", job.loss.parameter_lr_scale());
  job.log.info(fmt::format("training {} steps on {} samples, batch {} x {} accumulated, lr {} ({}, {} warm-up steps{}), {}",
                           total_steps, plan.usable_samples(), settings.batch_size, settings.accumulation, settings.lr,
                           settings.schedule, settings.warmup_steps, loss_lr, summary.precision));
  auto progress_bar = make_progress(job.log, "train", static_cast<std::size_t>(total_steps - progress.step));

  const auto start = std::chrono::steady_clock::now();
  auto previous_end = start;
  std::int64_t total_tokens = 0;
  for (std::int64_t step = progress.step + 1; step <= total_steps; ++step) {
    const auto step_start = std::chrono::steady_clock::now();
    const double lr = learning_rate_at(settings, step, total_steps);
    set_learning_rate(*optimizer, lr, job.loss.parameter_lr_scale());
    optimizer->zero_grad();
    StepReport step_report;
    double objective_sum = 0;
    std::int64_t step_tokens = 0;
    for (int micro = 0; micro < settings.accumulation; ++micro) {
      std::vector<StepSample> batch;
      std::vector<StepKind> kinds;
      const std::vector<std::size_t> global = plan.next();
      for (int b = rank * settings.batch_size; b < (rank + 1) * settings.batch_size; ++b) {
        batch.push_back(job.samples[global[b]]);
        kinds.push_back(job.samples[global[b]].kind);
      }
      LossReport report;
      at::Tensor objective;
      BatchLosses losses;
      {
        Bf16Autocast autocast(bf16);
        losses = job.model.sample_losses(batch);
        objective = job.loss.combine(losses.per_sample.to(at::kFloat), kinds, report);
      }
      (objective / settings.accumulation).backward();
      objective_sum += objective.item<double>();
      step_report.add(report);
      step_tokens += losses.total_tokens;
    }
    // Every rank sees the same global loss, so a NaN stops all of them at the same step.
    const double step_loss = (job.parallel ? job.parallel->sum(objective_sum) / world : objective_sum) / settings.accumulation;
    if (!std::isfinite(step_loss)) throw std::runtime_error(nan_message(step_loss, step, last_saved, state ? &*state : nullptr));
    if (job.parallel) job.parallel->average_gradients(all_parameters);
    if (settings.clip_norm > 0) torch::nn::utils::clip_grad_norm_(all_parameters, settings.clip_norm);
    optimizer->step();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - step_start).count();
    total_tokens += step_tokens;

    TrainLogRow row;
    row.step = step;
    row.loss = step_loss;
    step_report.fill(row);
    row.learning_rate = lr;
    row.tokens_per_s = seconds > 0 ? step_tokens / seconds : 0;
    if (job.evaluate_dev && settings.eval_every > 0 && (step % settings.eval_every == 0 || step == total_steps)) {
      job.model.set_training(false);
      row.dev_score = job.evaluate_dev();
      job.model.set_training(true);
      job.log.info(fmt::format("step {}: dev {} {:.2f}", step, settings.dev_metric, row.dev_score));
      if (settings.keep == "best" && (progress.best_step == 0 || row.dev_score > progress.best_score)) {
        progress.best_step = step;
        progress.best_score = row.dev_score;
        if (writes) state->save_best(job.model);
      }
    }
    const auto end = std::chrono::steady_clock::now();
    row.seconds = std::chrono::duration<double>(end - previous_end).count();
    previous_end = end;
    progress.step = step;
    progress.rows.push_back(row);
    if (job.on_step) job.on_step(row);
    if (state && writes && settings.checkpoint_every > 0 && step % settings.checkpoint_every == 0 && step < total_steps) {
      state->save(job.model, *optimizer, job.loss.parameters(), progress);
      last_saved.step = step;
    }
    progress_bar->advance();
  }
  progress_bar.reset();
  job.model.set_training(false);
  if (job.parallel) job.parallel->barrier();  // rank 0's best weights are on disk
  if (settings.keep == "best" && progress.best_step > 0) {
    state->load_best(job.model);
    job.log.info(fmt::format("kept the weights of step {} (dev {} {:.2f})", progress.best_step, settings.dev_metric,
                             progress.best_score));
  }
  summary.best_step = progress.best_step;
  summary.best_score = progress.best_score;
  summary.rows = std::move(progress.rows);
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  summary.tokens_per_s = summary.seconds > 0 ? total_tokens / summary.seconds : 0;
  return summary;
}

}  // namespace steper
