// A resumable training checkpoint: the model's own files, the optimizer's moments, the loss's
// parameters, the LibTorch RNG, the step reached, the dev-best bookkeeping and the log so far.
//
// STATE_DIR/last/ is replaced whole: a new checkpoint is written to next/ and renamed over it,
// so a run killed at any moment leaves last/ (or, between two renames, old/) complete.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "result_file.hpp"

namespace torch::optim {
class Optimizer;
}

namespace steper {

class TrainableModel;

struct TrainingProgress {
  std::int64_t step = 0;       // optimisation steps done
  std::int64_t best_step = 0;  // the dev evaluation with the best score so far; 0 = none
  double best_score = 0;
  std::vector<TrainLogRow> rows;
};

class TrainingState {
 public:
  explicit TrainingState(std::string state_dir);

  // The progress saved in last/, or nothing when no checkpoint exists.
  std::optional<TrainingProgress> saved_progress() const;
  // Loads last/'s model files into `model`; call before the optimizer is made from its
  // parameters (a model may make new parameter tensors when it loads).
  void load_model(TrainableModel& model) const;
  // Loads the optimizer state, the loss parameters and the RNG of last/.
  void load_optimizer(torch::optim::Optimizer& optimizer, const std::vector<at::Tensor>& loss_parameters) const;

  void save(TrainableModel& model, const torch::optim::Optimizer& optimizer,
            const std::vector<at::Tensor>& loss_parameters, const TrainingProgress& progress) const;

  void save_best(TrainableModel& model) const;
  void load_best(TrainableModel& model) const;

  std::string last_dir() const;

 private:
  std::string dir_;
};

}  // namespace steper
