#include "framework_settings.hpp"

#include <stdexcept>

#include "prompt_template.hpp"

namespace steper::frameworks {
namespace {

int read_at_least(Settings& settings, std::string_view key, int fallback, int minimum, const std::string& what) {
  const int value = settings.get<int>(key, fallback);
  if (value < minimum) settings.fail(key, what);
  return value;
}

template <class Table, class Value>
Value read_choice(Settings& settings, std::string_view key, const Table& table, Value fallback) {
  std::string fallback_name, names;
  for (const auto& [value, name] : table) {
    if (value == fallback) fallback_name = name;
    names += (names.empty() ? "\"" : ", \"") + std::string(name) + "\"";
  }
  const std::string chosen = settings.get<std::string>(key, fallback_name);
  for (const auto& [value, name] : table)
    if (chosen == name) return value;
  settings.fail(key, "one of " + names);
}

std::string read_template(Settings& settings, std::string_view key, const std::string& fallback,
                          const std::vector<std::string>& allowed, const std::vector<std::string>& required) {
  std::string text = settings.get<std::string>(key, fallback);
  const std::string problem = template_problem(text, allowed, required);
  if (!problem.empty()) settings.fail(key, "a template with the placeholders it needs; found " + problem);
  return text;
}

}  // namespace

FrameworkSettings FrameworkSettings::read(Settings& settings, const PromptTemplates& defaults) {
  FrameworkSettings s;
  s.k = read_at_least(settings, "k", s.k, 1, "at least 1 passage per step");
  s.max_steps = read_at_least(settings, "max_steps", s.max_steps, 1, "at least 1 step");
  s.max_passages = read_at_least(settings, "max_passages", s.max_passages, 1, "at least 1 passage");
  s.passage_words = read_at_least(settings, "passage_words", s.passage_words, 0, "a word count >= 0 (0: whole passages)");
  s.max_new_tokens = read_at_least(settings, "max_new_tokens", s.max_new_tokens, 1, "at least 1 token");
  s.target = read_choice(settings, "target", kTargetModeNames, s.target);
  s.final_answer = read_choice(settings, "final_answer", kFinalAnswerNames, s.final_answer);
  s.templates.passage = read_template(settings, "passage_template", defaults.passage, {"title", "text"}, {"text"});
  s.templates.question = read_template(settings, "question_template", defaults.question, {"question"}, {"question"});
  const std::string path = settings.get_path("demonstrations", "");
  if (!path.empty()) {
    try {
      s.demonstrations = read_demonstrations(path);
    } catch (const std::runtime_error& e) {
      settings.fail("demonstrations", "a readable JSONL file of demonstrations; " + std::string(e.what()));
    }
  }
  return s;
}

}  // namespace steper::frameworks
