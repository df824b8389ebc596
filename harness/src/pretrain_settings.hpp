// The [pretrain] table: the stage that makes a from-scratch student a reader before any
// distillation (method.md has no such stage; the paper starts from pretrained checkpoints).
// No LibTorch.
#pragma once

#include <cstdint>
#include <string>

#include "steper/settings.hpp"
#include "train_settings.hpp"

namespace steper {

struct PretrainSettings {
  // Optimisation: steps (0 = no pretraining), batch_size, lr, warmup_steps, schedule,
  // min_lr_ratio, clip_norm, weight_decay, precision and checkpoint_every, as in [train].
  TrainSettings optimisation;
  std::uint64_t seed = 1;            // the worlds drawn and the batches; not the cell's seed
  std::int64_t copy_first = 0;       // steps of copy episodes alone before the mix begins
  double copy_share_start = 0.7;     // share of copy episodes in the mix's first batch ...
  double copy_share_end = 0.2;       // ... falling linearly to this in the last
  int copy_words_start = 4;          // longest copied span (words) at the start ...
  int copy_words_end = 24;           // ... growing linearly to this over the first half
  std::int64_t world_every = 4;      // steps between two freshly drawn worlds
  int world_questions = 64;          // single-hop questions read from each world
  std::string loss_on = "all";       // "all": every token of a sample; "answer": the target only
  std::int64_t gate_every = 0;       // steps between gate measurements; 0: at the end only
  int gate_questions = 200;          // single-hop questions of the unseen gate worlds
  double gate_min = 0;               // reading accuracy (percent) below which the cell fails
  int tokenizer_worlds = 8;          // worlds whose samples the tokenizer is learned from

  bool enabled() const { return optimisation.steps > 0; }
  // Every value that shapes the pretrained reader and its log (not checkpoint_every, since a
  // resumed run ends the same, nor gate_min, a check on the reader).
  std::string key_text() const;
  // Reads [pretrain] without its plugin tables `world` (a dataset with a `seed` key, drawn
  // afresh every `world_every` steps) and `teacher` (a model that writes the gold reading).
  static PretrainSettings read(const Settings& table);
};

}  // namespace steper
