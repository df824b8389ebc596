// Renders a framework's prompts: demonstrations, then the passages (each through the passage
// template, cut to the word limit, separated by blank lines), a blank line, the question block,
// and the pieces of answer text written so far. Demonstrations and the test example are
// separated by two blank lines, as in IRCoT's prompts.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "steper/types.hpp"

namespace steper::frameworks {

struct PromptTemplates {
  std::string passage;   // {title}, {text}
  std::string question;  // {question}
};

struct TitledText {
  std::string title;
  std::string text;
};

class PromptRenderer {
 public:
  PromptRenderer(PromptTemplates templates, int passage_words)
      : templates_(std::move(templates)), passage_words_(passage_words) {}

  // One example, e.g. a demonstration: passages, question block, then the pieces as they are.
  std::string example(const std::vector<TitledText>& passages, std::string_view question,
                      const std::vector<std::string>& pieces) const;
  // Demonstrations already rendered with example(), shown before every prompt.
  void set_demonstrations(const std::vector<std::string>& examples);
  // The prompt for a question whose passages are `passage_ids` (in the corpus).
  std::string prompt(const std::vector<std::string>& passage_ids, const Corpus& corpus, std::string_view question,
                     const std::vector<std::string>& pieces) const;

 private:
  PromptTemplates templates_;
  int passage_words_;      // 0: whole passages
  std::string preamble_;   // the demonstrations and their separator; empty without any
};

}  // namespace steper::frameworks
