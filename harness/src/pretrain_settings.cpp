#include "pretrain_settings.hpp"

#include <cmath>

#include <fmt/format.h>

#include "config_toml.hpp"

namespace steper {

PretrainSettings PretrainSettings::read(const Settings& table) {
  PretrainSettings s;
  TrainSettings& o = s.optimisation;
  o.steps = table.get<std::int64_t>("steps", 0);
  o.batch_size = table.get<int>("batch_size", 16);
  o.lr = table.get<double>("lr", 1e-3);
  o.warmup_steps = table.get<std::int64_t>("warmup_steps", 100);
  o.schedule = table.get<std::string>("schedule", "cosine");
  o.min_lr_ratio = table.get<double>("min_lr_ratio", 0.1);
  o.clip_norm = table.get<double>("clip_norm", 1.0);
  o.weight_decay = table.get<double>("weight_decay", 0.0);
  o.precision = table.get<std::string>("precision", o.precision);
  o.checkpoint_every = table.get<std::int64_t>("checkpoint_every", 200);
  s.seed = static_cast<std::uint64_t>(table.get<std::int64_t>("seed", 1));
  s.copy_first = table.get<std::int64_t>("copy_first", s.copy_first);
  const auto copy_share = table.get<std::vector<double>>("copy_share", {s.copy_share_start, s.copy_share_end});
  const auto copy_words = table.get<std::vector<std::int64_t>>("copy_words", {s.copy_words_start, s.copy_words_end});
  s.world_every = table.get<std::int64_t>("world_every", s.world_every);
  s.world_questions = table.get<int>("world_questions", s.world_questions);
  s.loss_on = table.get<std::string>("loss_on", s.loss_on);
  s.gate_every = table.get<std::int64_t>("gate_every", s.gate_every);
  s.gate_questions = table.get<int>("gate_questions", s.gate_questions);
  s.gate_min = table.get<double>("gate_min", s.gate_min);
  s.tokenizer_worlds = table.get<int>("tokenizer_worlds", s.tokenizer_worlds);

  if (o.steps < 0) table.fail("steps", "a number of steps >= 0 (0 = no pretraining)");
  if (o.batch_size < 1 || o.batch_size > 4096) table.fail("batch_size", "a batch size from 1 to 4096");
  if (!(o.lr > 0 && std::isfinite(o.lr))) table.fail("lr", "a finite learning rate > 0");
  if (o.warmup_steps < 0) table.fail("warmup_steps", "a number of steps >= 0");
  if (o.schedule != "constant" && o.schedule != "cosine" && o.schedule != "linear")
    table.fail("schedule", "one of \"constant\", \"cosine\", \"linear\"");
  if (!(o.min_lr_ratio >= 0 && o.min_lr_ratio <= 1)) table.fail("min_lr_ratio", "a ratio between 0 and 1");
  if (!(o.clip_norm >= 0 && std::isfinite(o.clip_norm))) table.fail("clip_norm", "a finite gradient norm >= 0");
  if (!(o.weight_decay >= 0 && std::isfinite(o.weight_decay))) table.fail("weight_decay", "a finite weight decay >= 0");
  if (o.precision != "auto" && o.precision != "fp32" && o.precision != "bf16")
    table.fail("precision", "one of \"auto\", \"fp32\", \"bf16\"");
  if (o.checkpoint_every < 0) table.fail("checkpoint_every", "a number of steps >= 0 (0 = no checkpoints)");
  if (s.copy_first < 0 || s.copy_first > o.steps)
    table.fail("copy_first", "a number of steps from 0 to pretrain.steps");
  if (copy_share.size() != 2 || !(copy_share[0] >= 0 && copy_share[0] <= 1 && copy_share[1] >= 0 && copy_share[1] <= 1))
    table.fail("copy_share", "two shares from 0 to 1: [at the start, at the end]");
  s.copy_share_start = copy_share[0];
  s.copy_share_end = copy_share[1];
  if (copy_words.size() != 2 || copy_words[0] < 1 || copy_words[1] < copy_words[0] || copy_words[1] > 512)
    table.fail("copy_words", "two word counts [at the start, from mid-way on], 1 <= start <= end <= 512");
  s.copy_words_start = static_cast<int>(copy_words[0]);
  s.copy_words_end = static_cast<int>(copy_words[1]);
  if (s.world_every < 1) table.fail("world_every", "a number of steps >= 1");
  if (s.world_questions < 1 || s.world_questions > 100000) table.fail("world_questions", "a count from 1 to 100000");
  if (s.loss_on != "all" && s.loss_on != "answer") table.fail("loss_on", "\"all\" or \"answer\"");
  if (s.gate_every < 0) table.fail("gate_every", "a number of steps >= 0 (0 = at the end only)");
  if (s.gate_questions < 1 || s.gate_questions > 100000) table.fail("gate_questions", "a count from 1 to 100000");
  if (!(s.gate_min >= 0 && s.gate_min <= 100)) table.fail("gate_min", "a percentage from 0 to 100");
  if (s.tokenizer_worlds < 1 || s.tokenizer_worlds > 10000) table.fail("tokenizer_worlds", "a count from 1 to 10000");

  // The plugin tables are checked by the plugins they name.
  for (const std::string& key : table.unread_keys())
    if (!key_within(key, table.path() + ".world") && !key_within(key, table.path() + ".teacher"))
      throw_config_error(table.location(key.substr(table.path().size() + 1)),
                         "unknown key '" + key + "' (the harness reads the keys of [pretrain] listed in the README, "
                         "and the plugin tables pretrain.world and pretrain.teacher)");
  if (s.enabled())
    for (const char* plugin : {"world", "teacher"})
      if (!table.table(plugin).has("name"))
        table.fail(plugin, std::string("a plugin table with a `name` (pretrain.") + plugin + ")");
  return s;
}

std::string PretrainSettings::key_text() const {
  const TrainSettings& o = optimisation;
  return fmt::format(
      "steps {} batch {} lr {} warmup {} {} min_lr {} clip {} decay {} seed {} copy {} [{}, {}] words "
      "[{}, {}] world_every {} questions {} loss_on {} gate {} x {} tokenizer {}\n",
      o.steps, o.batch_size, o.lr, o.warmup_steps, o.schedule, o.min_lr_ratio, o.clip_norm, o.weight_decay, seed,
      copy_first, copy_share_start, copy_share_end, copy_words_start, copy_words_end, world_every, world_questions, loss_on,
      gate_every, gate_questions, tokenizer_worlds);
}

}  // namespace steper
