// The settings both frameworks read from their TOML table, with their defaults beside them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "demonstrations.hpp"
#include "prompt.hpp"
#include "steper/settings.hpp"

namespace steper::frameworks {

// Which tokens of a step-wise sample are scored (method.md section 3).
enum class TargetMode { cumulative, new_only };
inline constexpr struct {
  TargetMode mode;
  const char* name;
} kTargetModeNames[] = {{TargetMode::cumulative, "cumulative"}, {TargetMode::new_only, "new"}};

// The answer the final sample's answer sentence states.
enum class FinalAnswer { gold, teacher };
inline constexpr struct {
  FinalAnswer answer;
  const char* name;
} kFinalAnswerNames[] = {{FinalAnswer::gold, "gold"}, {FinalAnswer::teacher, "teacher"}};

struct FrameworkSettings {
  int k = 4;                   // passages retrieved per step
  int max_steps = 5;           // the step cap S_max
  int max_passages = 15;       // cap on the accumulated passages of a prompt
  int passage_words = 350;     // words kept of each passage (IRCoT's max_para_num_words); 0: all
  int max_new_tokens = 64;     // per generation call
  TargetMode target = TargetMode::cumulative;
  // "gold": the question's gold answer, as method.md's table writes the final sample; "teacher":
  // the answer the trajectory extracted (differs when the filter accepts a partial match).
  FinalAnswer final_answer = FinalAnswer::gold;
  PromptTemplates templates;                 // passage_template, question_template
  std::vector<Demonstration> demonstrations;  // read from the file named by `demonstrations`

  // Reads the keys above; `defaults` holds the framework's own templates. Throws ConfigError at
  // the offending key.
  static FrameworkSettings read(Settings& settings, const PromptTemplates& defaults);
};

}  // namespace steper::frameworks
