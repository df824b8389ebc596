#include "torch/pretrainer.hpp"

#include <array>
#include <chrono>
#include <cmath>

#include <fmt/format.h>
#include <torch/torch.h>

#include "run_log.hpp"
#include "steper/trainable.hpp"
#include "steper/bf16_autocast.hpp"
#include "steper/length_groups.hpp"
#include "torch/training_state.hpp"

namespace steper {

TrainSummary pretrain(const PretrainJob& job) {
  const TrainSettings& settings = job.settings.optimisation;
  TrainSummary summary;
  summary.precision = train_precision(settings);
  summary.steps = settings.steps;
  const TrainingState state(job.state_dir);
  TrainingProgress progress;
  if (auto saved = state.saved_progress()) {
    progress = std::move(*saved);
    state.load_model(job.model);
  }
  auto optimizer = torch::optim::AdamW(job.model.parameters(),
                                       torch::optim::AdamWOptions(settings.lr).weight_decay(settings.weight_decay));
  if (progress.step > 0) {
    state.load_optimizer(optimizer, {});
    if (job.on_step)
      for (const auto& row : progress.rows) job.on_step(row);
    summary.resumed_from = progress.step;
    job.log.info(fmt::format("resuming pretraining at step {} of {} from '{}'", progress.step + 1, settings.steps,
                             state.last_dir()));
  }
  std::int64_t last_saved = progress.step;
  std::vector<at::Tensor> parameters = job.model.parameters();
  job.model.set_training(true);
  job.log.info(fmt::format("pretraining {} steps of {} samples, lr {} ({}, {} warm-up steps), {}", settings.steps,
                           settings.batch_size, settings.lr, settings.schedule, settings.warmup_steps, summary.precision));
  // A batch mixes short copy episodes with long reading samples: run it as groups of similar length.
  const auto sample_length = [](const StepSample& s) { return s.prompt.size() + s.target.size(); };
  auto bar = make_progress(job.log, "pretrain", static_cast<std::size_t>(settings.steps - progress.step));
  const auto start = std::chrono::steady_clock::now();
  auto previous_end = start;
  std::int64_t total_tokens = 0;
  for (std::int64_t step = progress.step + 1; step <= settings.steps; ++step) {
    const std::vector<StepSample> batch = job.batch(step);  // drawing a world is not training time
    const auto step_start = std::chrono::steady_clock::now();
    const double lr = learning_rate_at(settings, step, settings.steps);
    for (auto& group : optimizer.param_groups()) static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
    optimizer.zero_grad();
    double loss = 0;
    std::int64_t step_tokens = 0;
    std::array<double, kStepKindCount> kind_sum{};
    std::array<int, kStepKindCount> kind_count{};
    for (const std::vector<StepSample>& group : groups_by_length(batch, sample_length)) {
      at::Tensor objective, per_sample;
      {
        Bf16Autocast autocast(summary.precision == "bf16");
        const BatchLosses losses = job.model.sample_losses(group);
        per_sample = losses.per_sample.to(at::kFloat);
        objective = per_sample.sum() / static_cast<double>(batch.size());
        step_tokens += losses.total_tokens;
      }
      objective.backward();
      loss += objective.item<double>();
      const auto values = per_sample.detach().to(at::kDouble).contiguous();
      for (std::size_t i = 0; i < group.size(); ++i) {
        const int kind = static_cast<int>(group[i].kind);
        kind_sum[kind] += values[static_cast<std::int64_t>(i)].item<double>();
        ++kind_count[kind];
      }
    }
    if (!std::isfinite(loss))
      throw std::runtime_error(fmt::format(
          "pretraining loss is {} at step {}; stopping this cell{}", loss, step,
          last_saved > 0 ? fmt::format(". The last good checkpoint (step {}) is kept in '{}'", last_saved, state.last_dir())
                         : std::string(" (no checkpoint was saved before it)")));
    if (settings.clip_norm > 0) torch::nn::utils::clip_grad_norm_(parameters, settings.clip_norm);
    optimizer.step();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - step_start).count();
    total_tokens += step_tokens;

    TrainLogRow row;
    row.step = step;
    row.loss = loss;
    for (int k = 0; k < kStepKindCount; ++k)
      row.kind_loss[k] = kind_count[k] ? kind_sum[k] / kind_count[k] : std::nan("");
    row.kind_weight.fill(std::nan(""));
    row.learning_rate = lr;
    row.tokens_per_s = seconds > 0 ? step_tokens / seconds : 0;
    const std::int64_t every = job.settings.gate_every;
    if (job.gate && ((every > 0 && step % every == 0) || step == settings.steps)) {
      job.model.set_training(false);
      row.dev_score = job.gate();
      job.model.set_training(true);
      job.log.info(fmt::format("pretraining step {}: reading accuracy {:.2f}% on the gate worlds", step, row.dev_score));
    }
    const auto end = std::chrono::steady_clock::now();
    row.seconds = std::chrono::duration<double>(end - previous_end).count();
    previous_end = end;
    progress.step = step;
    progress.rows.push_back(row);
    if (job.on_step) job.on_step(row);
    if (settings.checkpoint_every > 0 && step % settings.checkpoint_every == 0 && step < settings.steps) {
      state.save(job.model, optimizer, {}, progress);
      last_saved = step;
    }
    bar->advance();
  }
  bar.reset();
  job.model.set_training(false);
  summary.rows = std::move(progress.rows);
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  summary.tokens_per_s = summary.seconds > 0 ? total_tokens / summary.seconds : 0;
  return summary;
}

}  // namespace steper
