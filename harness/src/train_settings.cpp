#include "train_settings.hpp"

#include <cmath>
#include <vector>

#include "steper/compute.hpp"
#include "steper/settings.hpp"

namespace steper {
namespace {

bool one_of(const std::string& value, std::initializer_list<const char*> allowed) {
  for (const char* a : allowed)
    if (value == a) return true;
  return false;
}

// `mix` is "proportional", "balanced" (equal shares) or [first, mid, final] shares.
void read_mix(const Settings& table, TrainSettings& s) {
  if (!table.has("mix")) return;
  const char* expected = "\"proportional\", \"balanced\" or three shares [first, mid, final]";
  std::vector<double> shares;
  try {
    shares = table.get<std::vector<double>>("mix", {});
  } catch (const ConfigError&) {  // not an array of numbers: a name
    std::string name;
    try {
      name = table.get<std::string>("mix", "");
    } catch (const ConfigError&) {
      table.fail("mix", expected);
    }
    if (name == "proportional") return;
    if (name != "balanced") table.fail("mix", expected);
    shares = {1, 1, 1};
  }
  if (shares.size() != kStepKindCount) table.fail("mix", expected);
  double sum = 0;
  for (std::size_t k = 0; k < shares.size(); ++k) {
    if (!(shares[k] >= 0)) table.fail("mix", "shares >= 0");
    s.mix_shares[k] = shares[k];
    sum += shares[k];
  }
  if (!(sum > 0)) table.fail("mix", "at least one share > 0");
  s.mix = "shares";
}

}  // namespace

TrainSettings TrainSettings::read(const Settings& table) {
  TrainSettings s;
  s.steps = table.get<std::int64_t>("steps", s.steps);
  s.epochs = table.get<double>("epochs", s.epochs);
  s.batch_size = table.get<int>("batch_size", s.batch_size);
  s.accumulation = table.get<int>("accumulation", s.accumulation);
  s.lr = table.get<double>("lr", s.lr);
  s.warmup_steps = table.get<std::int64_t>("warmup_steps", s.warmup_steps);
  s.schedule = table.get<std::string>("schedule", s.schedule);
  s.min_lr_ratio = table.get<double>("min_lr_ratio", s.min_lr_ratio);
  s.clip_norm = table.get<double>("clip_norm", s.clip_norm);
  s.weight_decay = table.get<double>("weight_decay", s.weight_decay);
  s.precision = table.get<std::string>("precision", s.precision);
  read_mix(table, s);
  s.bucket_batches = table.get<int>("bucket_batches", s.bucket_batches);
  s.checkpoint_every = table.get<std::int64_t>("checkpoint_every", s.checkpoint_every);
  s.eval_every = table.get<std::int64_t>("eval_every", s.eval_every);
  s.dev_questions = table.get<int>("dev_questions", s.dev_questions);
  s.dev_metric = table.get<std::string>("dev_metric", s.dev_metric);
  s.keep = table.get<std::string>("keep", s.keep);
  s.world_size = table.get<int>("world_size", s.world_size);
  s.collective_timeout_s = table.get<double>("collective_timeout_s", s.collective_timeout_s);
  s.filter = table.get<std::string>("filter", s.filter);
  s.bridge_filter = table.get<bool>("bridge_filter", s.bridge_filter);
  if (s.steps < 0) table.fail("steps", "a number of steps >= 0");
  if (s.epochs < 0 || s.epochs > 1e6) table.fail("epochs", "a number of epochs from 0 to 1e6 (0 = use steps)");
  // steps = 0 beside epochs lets a grid or include switch a base file's steps budget to epochs.
  if (s.epochs > 0 && s.steps > 0 && table.has("steps"))
    table.fail("epochs", "either `steps` or `epochs`, not both (set steps = 0 to use epochs)");
  if (s.batch_size < 1) table.fail("batch_size", "a batch size >= 1");
  if (s.accumulation < 1) table.fail("accumulation", "a number of micro-batches >= 1");
  if (!(s.lr > 0)) table.fail("lr", "a learning rate > 0");
  if (s.weight_decay < 0) table.fail("weight_decay", "a weight decay >= 0");
  if (s.warmup_steps < 0) table.fail("warmup_steps", "a number of steps >= 0");
  if (!one_of(s.schedule, {"constant", "cosine", "linear"}))
    table.fail("schedule", "one of \"constant\", \"cosine\", \"linear\"");
  if (!(s.min_lr_ratio >= 0 && s.min_lr_ratio <= 1)) table.fail("min_lr_ratio", "a ratio between 0 and 1");
  if (!(s.clip_norm >= 0)) table.fail("clip_norm", "a gradient norm >= 0 (0 = no clipping)");
  if (!one_of(s.precision, {"auto", "fp32", "bf16"})) table.fail("precision", "one of \"auto\", \"fp32\", \"bf16\"");
  if (s.bucket_batches < 0) table.fail("bucket_batches", "a number of batches >= 0 (0 = no length bucketing)");
  if (s.checkpoint_every < 0) table.fail("checkpoint_every", "a number of steps >= 0 (0 = no checkpoints)");
  if (s.eval_every < 0) table.fail("eval_every", "a number of steps >= 0 (0 = no dev evaluation)");
  if (s.dev_questions < 0) table.fail("dev_questions", "a number of questions >= 0 (0 = all)");
  if (!one_of(s.dev_metric, {"acc", "em", "f1"})) table.fail("dev_metric", "one of \"acc\", \"em\", \"f1\"");
  if (!one_of(s.keep, {"last", "best"})) table.fail("keep", "\"last\" or \"best\"");
  if (s.keep == "best" && s.eval_every == 0) table.fail("keep", "\"last\" (\"best\" needs eval_every > 0)");
  if (s.world_size < 1) table.fail("world_size", "a number of processes >= 1");
  if (!(s.collective_timeout_s > 0)) table.fail("collective_timeout_s", "a number of seconds > 0");
  if (!one_of(s.filter, {"acc", "em", "none"})) table.fail("filter", "one of \"acc\", \"em\", \"none\"");
  table.reject_unread();
  return s;
}

std::int64_t TrainSettings::total_steps(std::size_t usable_samples, int world_size) const {
  if (epochs <= 0) return steps;
  const double per_step = static_cast<double>(batch_size) * accumulation * world_size;
  return static_cast<std::int64_t>(std::ceil(epochs * static_cast<double>(usable_samples) / per_step));
}

double learning_rate_at(const TrainSettings& s, std::int64_t step, std::int64_t total_steps) {
  if (s.warmup_steps > 0 && step <= s.warmup_steps) return s.lr * static_cast<double>(step) / static_cast<double>(s.warmup_steps);
  if (s.schedule == "constant" || total_steps <= s.warmup_steps) return s.lr;
  const double progress = static_cast<double>(step - s.warmup_steps) / static_cast<double>(total_steps - s.warmup_steps);
  const double decay = s.schedule == "cosine" ? 0.5 * (1.0 + std::cos(M_PI * progress)) : 1.0 - progress;
  return s.lr * (s.min_lr_ratio + (1.0 - s.min_lr_ratio) * decay);
}

std::string train_precision(const TrainSettings& settings) {
  return settings.precision == "bf16" || (settings.precision == "auto" && cpu_has_bf16()) ? "bf16" : "fp32";
}

}  // namespace steper
