// The pretraining loop: next-token loss on a generated stream, AdamW, resumable checkpoints
// and gate measurements. Declared without LibTorch types; implemented in torch/pretrainer.cpp.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "pretrain_settings.hpp"
#include "result_file.hpp"
#include "steper/types.hpp"
#include "torch/trainer.hpp"

namespace steper {

class RunLog;
class TrainableModel;

struct PretrainJob {
  TrainableModel& model;
  const PretrainSettings& settings;
  std::function<std::vector<StepSample>(std::int64_t step)> batch;  // the samples of a step (1-based)
  RunLog& log;
  std::string state_dir;  // resumable checkpoints; training resumes from its `last/`
  // The gate's reading accuracy (percent) of the model as it is now; logged as the row's dev_score.
  std::function<double()> gate;
  std::function<void(const TrainLogRow&)> on_step;  // may be empty
};

// Trains job.model for settings.optimisation.steps steps, measuring the gate every
// `gate_every` steps and after the last. Each row's kind losses are the means over the step's
// samples of each kind (the stream gives reading samples their framework's kinds, copy
// episodes `mid`). Throws std::runtime_error on a non-finite loss.
TrainSummary pretrain(const PretrainJob& job);

}  // namespace steper
