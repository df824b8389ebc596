// Framework plugins drive questions through retrieve -> generate steps (IRCoT, Self-Ask),
// and cut a teacher's trajectory into step-wise samples rendered in their own prompt format.
#pragma once

#include <vector>

#include "steper/api.hpp"
#include "steper/context.hpp"
#include "steper/model.hpp"
#include "steper/retriever.hpp"
#include "steper/settings.hpp"
#include "steper/types.hpp"

namespace steper {

class Framework : public Plugin {
 public:
  static constexpr const char* kKindName = "framework";
  ~Framework() override;
  // One trajectory per question, in order. All unfinished questions advance one step together.
  virtual std::vector<Trajectory> run(const std::vector<Question>& questions, Model& model,
                                      Retriever& retriever, const Corpus& corpus) = 0;
  // The first / mid / final samples of one trajectory (method.md section 3).
  virtual std::vector<StepSample> step_samples(const Question& question, const Trajectory& trajectory,
                                               const Corpus& corpus) = 0;
};

}  // namespace steper
