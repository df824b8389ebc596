// MuSiQue: JSONL; each question carries 20 paragraphs and a decomposition whose later
// sub-questions refer to earlier answers as #1, #2, ...
#include <algorithm>

#include "numbered_paragraphs.hpp"
#include "readers.hpp"
#include "records.hpp"

namespace steper::datasets {

namespace {

struct RawStep {
  std::string question, answer;
  std::int64_t paragraph_idx = -1;  // -1: none (null in unanswerable questions)
};

std::vector<RawStep> read_decomposition(ondemand::value& list, JsonSource& source) {
  std::vector<RawStep> steps;
  for (auto entry : source.array(list, "question_decomposition")) {
    ondemand::value item = source.element(entry, "question_decomposition[i]");
    ondemand::object members = source.object(item, "question_decomposition[i]");
    RawStep step;
    for_each_field(members, source, "question_decomposition[i]", [&](std::string_view key, ondemand::value& value) {
      if (key == "question") {
        step.question = std::string(source.string(value, "question_decomposition[i].question"));
      } else if (key == "answer") {
        step.answer = std::string(source.string(value, "question_decomposition[i].answer"));
      } else if (key == "paragraph_support_idx" && !is_null(value)) {
        step.paragraph_idx = source.integer(value, "question_decomposition[i].paragraph_support_idx");
      }
    });
    steps.push_back(std::move(step));
  }
  return steps;
}

// "#k" in a sub-question becomes the answer of step k, so each step reads on its own.
std::string resolve_references(std::string question, const std::vector<DecompositionStep>& earlier) {
  for (std::size_t k = earlier.size(); k >= 1; --k) {
    const std::string marker = "#" + std::to_string(k);
    for (std::size_t at = question.find(marker); at != std::string::npos; at = question.find(marker, at))
      question.replace(at, marker.size(), earlier[k - 1].answer);
  }
  return question;
}

std::vector<DecompositionStep> decomposition_steps(const std::vector<RawStep>& raw,
                                                   const std::vector<NumberedParagraph>& paragraphs, JsonSource& source) {
  std::vector<DecompositionStep> steps;
  for (const RawStep& step : raw) {
    std::string paragraph_id;
    if (step.paragraph_idx >= 0) {
      auto it = std::find_if(paragraphs.begin(), paragraphs.end(),
                             [&](const NumberedParagraph& p) { return p.idx == step.paragraph_idx; });
      if (it == paragraphs.end())
        source.fail(nullptr, "question_decomposition[i].paragraph_support_idx",
                    "no paragraph has idx " + std::to_string(step.paragraph_idx));
      paragraph_id = it->id;
    }
    steps.push_back({resolve_references(step.question, steps), step.answer, std::move(paragraph_id)});
  }
  return steps;
}

// MuSiQue ids start with the hop pattern: "2hop__...", "3hop1__...", "4hop3__...".
std::string type_of(const std::string& id) {
  const std::size_t end = id.find("__");
  return end == std::string::npos ? std::string() : id.substr(0, end);
}

}  // namespace

std::vector<Question> read_musique(const std::string& path, bool answerable_only, ParagraphIds& ids) {
  std::vector<Question> questions;
  for_each_jsonl_record(path, [&](ondemand::object& record, JsonSource& source) {
    Question question;
    bool has_id = false, has_question = false, has_answer = false, has_paragraphs = false, answerable = true;
    std::vector<std::string> aliases;
    std::vector<NumberedParagraph> paragraphs;
    std::vector<RawStep> raw_steps;
    for_each_field(record, source, "question", [&](std::string_view key, ondemand::value& value) {
      if (key == "id") {
        question.id = std::string(source.string(value, "id"));
        has_id = true;
      } else if (key == "question") {
        question.text = std::string(source.string(value, "question"));
        has_question = true;
      } else if (key == "answer") {
        question.answers.insert(question.answers.begin(), std::string(source.string(value, "answer")));
        has_answer = true;
      } else if (key == "answer_aliases") {
        for (auto item : source.array(value, "answer_aliases")) {
          ondemand::value alias = source.element(item, "answer_aliases");
          aliases.emplace_back(source.string(alias, "answer_aliases[i]"));
        }
      } else if (key == "answerable") {
        answerable = source.boolean(value, "answerable");
      } else if (key == "paragraphs") {
        paragraphs = read_numbered_paragraphs(value, source, "paragraphs", ids);
        has_paragraphs = true;
      } else if (key == "question_decomposition") {
        raw_steps = read_decomposition(value, source);
      }
    });
    if (!has_id) source.fail_missing("id");
    if (!has_question) source.fail_missing("question");
    if (!has_answer) source.fail_missing("answer");
    if (!has_paragraphs) source.fail_missing("paragraphs");
    if (answerable_only && !answerable) return;
    for (std::string& alias : aliases)
      if (std::find(question.answers.begin(), question.answers.end(), alias) == question.answers.end())
        question.answers.push_back(std::move(alias));
    question.supporting_paragraph_ids = supporting_ids(paragraphs);
    question.decomposition = decomposition_steps(raw_steps, paragraphs, source);
    question.type = type_of(question.id);
    question.hops = static_cast<int>(!question.decomposition.empty() ? question.decomposition.size()
                                                                     : question.supporting_paragraph_ids.size());
    questions.push_back(std::move(question));
  });
  return questions;
}

}  // namespace steper::datasets
