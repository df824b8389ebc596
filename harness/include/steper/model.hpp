// Model plugins generate text; trainable ones (students) also expose a training interface,
// declared in steper/trainable.hpp so that generation-only plugins need no LibTorch headers.
#pragma once

#include <string>
#include <vector>

#include "steper/api.hpp"
#include "steper/context.hpp"
#include "steper/settings.hpp"
#include "steper/types.hpp"

namespace steper {

class TrainableModel;

class Model : public Plugin {
 public:
  static constexpr const char* kKindName = "model";
  ~Model() override;
  // One result per request, in order. Requests of one call may be batched by the model.
  virtual std::vector<GenerationResult> generate(const std::vector<GenerationRequest>& requests) = 0;
  virtual int count_tokens(const std::string& text) = 0;
  // Trainable models return their training interface; teachers that only generate, nullptr.
  virtual TrainableModel* trainable() { return nullptr; }
  // Changes whenever files the settings name change (a replay file, a checkpoint folder), so
  // cached trajectories and checkpoints made with the older files are not reused. The
  // settings themselves are keyed already. Called before the first generate; keep it cheap.
  virtual std::string fingerprint() { return {}; }
};

}  // namespace steper
