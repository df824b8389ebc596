// IRCoT's processed JSONL (also Adaptive-RAG's): DROP-style answer objects, MuSiQue-style
// contexts and, for annotated questions, the chain-of-thought reasoning steps.
#include <algorithm>

#include "numbered_paragraphs.hpp"
#include "readers.hpp"
#include "records.hpp"

namespace steper::datasets {

namespace {

// {number, date: {day, month, year}, spans: [...]}: the spans, else the number, else the date.
std::vector<std::string> read_answer_object(ondemand::value& item, JsonSource& source) {
  std::vector<std::string> spans;
  std::string number, date;
  for_each_field(source.object(item, "answers_objects[i]"), source, "answers_objects[i]",
                 [&](std::string_view key, ondemand::value& value) {
    if (key == "spans") {
      for (auto span : source.array(value, "answers_objects[i].spans")) {
        ondemand::value text = source.element(span, "answers_objects[i].spans");
        spans.emplace_back(source.string(text, "answers_objects[i].spans[j]"));
      }
    } else if (key == "number") {
      number = std::string(source.string(value, "answers_objects[i].number"));
    } else if (key == "date") {
      std::string day, month, year;
      for_each_field(source.object(value, "answers_objects[i].date"), source, "answers_objects[i].date",
                     [&](std::string_view part, ondemand::value& part_value) {
        std::string text(source.string(part_value, "answers_objects[i].date." + std::string(part)));
        if (part == "day") day = std::move(text);
        if (part == "month") month = std::move(text);
        if (part == "year") year = std::move(text);
      });
      for (const std::string* piece : {&day, &month, &year})
        if (!piece->empty()) date += (date.empty() ? "" : " ") + *piece;
    }
  });
  if (!spans.empty()) return spans;
  if (!number.empty()) return {number};
  if (!date.empty()) return {date};
  return {};
}

// [{paragraphs: [{title, ...}], cot_sent}]: one step per sentence, supported by the context
// paragraph of the first title given (titles are null for the concluding sentences).
std::vector<DecompositionStep> read_reasoning_steps(ondemand::value& list, JsonSource& source,
                                                    std::vector<std::string>& first_titles) {
  std::vector<DecompositionStep> steps;
  for (auto entry : source.array(list, "reasoning_steps")) {
    ondemand::value item = source.element(entry, "reasoning_steps[i]");
    DecompositionStep step;
    std::string title;
    for_each_field(source.object(item, "reasoning_steps[i]"), source, "reasoning_steps[i]",
                   [&](std::string_view key, ondemand::value& value) {
      if (key == "cot_sent") {
        step.answer = std::string(source.string(value, "reasoning_steps[i].cot_sent"));
      } else if (key == "paragraphs") {
        for (auto paragraph : source.array(value, "reasoning_steps[i].paragraphs")) {
          ondemand::value fields = source.element(paragraph, "reasoning_steps[i].paragraphs");
          for_each_field(source.object(fields, "reasoning_steps[i].paragraphs[j]"), source,
                         "reasoning_steps[i].paragraphs[j]", [&](std::string_view name, ondemand::value& named) {
            if (name == "title" && !is_null(named) && title.empty())
              title = std::string(source.string(named, "reasoning_steps[i].paragraphs[j].title"));
          });
        }
      }
    });
    first_titles.push_back(std::move(title));
    steps.push_back(std::move(step));
  }
  return steps;
}

}  // namespace

std::vector<Question> read_ircot_jsonl(const std::string& path, ParagraphIds& ids) {
  std::vector<Question> questions;
  for_each_jsonl_record(path, [&](ondemand::object& record, JsonSource& source) {
    Question question;
    bool has_id = false, has_question = false, has_answers = false, has_contexts = false;
    std::vector<NumberedParagraph> contexts;
    std::vector<std::string> step_titles;
    for_each_field(record, source, "question", [&](std::string_view key, ondemand::value& value) {
      if (key == "question_id") {
        question.id = std::string(source.string(value, "question_id"));
        has_id = true;
      } else if (key == "question_text") {
        question.text = std::string(source.string(value, "question_text"));
        has_question = true;
      } else if (key == "answers_objects") {
        for (auto item : source.array(value, "answers_objects")) {
          ondemand::value answer = source.element(item, "answers_objects");
          for (std::string& text : read_answer_object(answer, source))
            if (std::find(question.answers.begin(), question.answers.end(), text) == question.answers.end())
              question.answers.push_back(std::move(text));
        }
        has_answers = true;
      } else if (key == "contexts") {
        contexts = read_numbered_paragraphs(value, source, "contexts", ids);
        has_contexts = true;
      } else if (key == "reasoning_steps") {
        question.decomposition = read_reasoning_steps(value, source, step_titles);
      } else if (key == "type") {
        question.type = std::string(source.string(value, "type"));
      }
    });
    if (!has_id) source.fail_missing("question_id");
    if (!has_question) source.fail_missing("question_text");
    if (!has_answers) source.fail_missing("answers_objects");
    if (!has_contexts) source.fail_missing("contexts");
    for (std::size_t i = 0; i < question.decomposition.size(); ++i) {
      auto it = std::find_if(contexts.begin(), contexts.end(),
                             [&](const NumberedParagraph& p) { return p.title == step_titles[i]; });
      if (!step_titles[i].empty() && it != contexts.end()) question.decomposition[i].paragraph_id = it->id;
    }
    question.supporting_paragraph_ids = supporting_ids(contexts);
    question.hops = static_cast<int>(question.supporting_paragraph_ids.size());
    questions.push_back(std::move(question));
  });
  return questions;
}

}  // namespace steper::datasets
