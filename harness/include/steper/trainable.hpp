// The training interface of a student model. Includes ATen's tensor type (not torch/torch.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "steper/types.hpp"

namespace steper {

// Shape letters: B samples in a batch.
struct BatchLosses {
  at::Tensor per_sample;         // (B) mean negative log-likelihood of each sample's target tokens
  std::int64_t target_tokens = 0;  // real (unpadded) target tokens scored in the batch
  std::int64_t total_tokens = 0;   // real tokens processed, prompt included
};

class TrainableModel {
 public:
  virtual ~TrainableModel();
  // Teacher-forced forward pass over the batch, with autograd when grad mode is on.
  virtual BatchLosses sample_losses(const std::vector<StepSample>& batch) = 0;
  // Called once before training with every sample the model will be trained on; a model that
  // learns its vocabulary from data (a tokenizer trained from scratch) does so here.
  virtual void fit_vocabulary(const std::vector<StepSample>& samples) { (void)samples; }
  virtual std::vector<at::Tensor> parameters() = 0;
  virtual void set_training(bool training) = 0;
  // Writes / reads the weights (and whatever the model needs to generate) in folder `dir`.
  virtual void save(const std::string& dir) = 0;
  virtual void load(const std::string& dir) = 0;
  virtual std::int64_t parameter_count() = 0;
};

}  // namespace steper
