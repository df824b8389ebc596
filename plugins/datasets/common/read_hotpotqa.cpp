// HotpotQA: one JSON array; every question carries ten titled paragraphs, two of them gold.
#include "readers.hpp"
#include "records.hpp"
#include "titled_sentences.hpp"

namespace steper::datasets {

std::vector<Question> read_hotpotqa(const std::string& path, ParagraphIds& ids, ReadWarnings& warnings) {
  std::vector<Question> questions;
  for_each_array_record(path, [&](ondemand::object& record, JsonSource& source) {
    Question question;
    std::string answer;
    bool has_id = false, has_question = false, has_answer = false, has_context = false;
    std::vector<SupportingFact> supporting_facts;
    std::vector<TitledParagraph> context;
    for_each_field(record, source, "question", [&](std::string_view key, ondemand::value& value) {
      if (key == "_id") {
        question.id = copy_string(value, source, "_id");
        has_id = true;
      } else if (key == "question") {
        question.text = copy_string(value, source, "question");
        has_question = true;
      } else if (key == "answer") {
        question.answers = {copy_string(value, source, "answer")};
        has_answer = true;
      } else if (key == "type") {
        question.type = copy_string(value, source, "type");
      } else if (key == "supporting_facts") {
        supporting_facts = read_supporting_facts(value, source);
      } else if (key == "context") {
        context = read_titled_sentences(value, source);
        has_context = true;
      }
    });
    if (!has_id) source.fail_missing("_id");
    if (!has_question) source.fail_missing("question");
    if (!has_answer) source.fail_missing("answer");
    if (!has_context) source.fail_missing("context");
    for (TitledParagraph& paragraph : context) paragraph.id = ids.id_of(paragraph.title, paragraph.text);
    question.supporting_paragraph_ids = supporting_ids(supporting_facts, context, source, warnings, question.id);
    question.hops = static_cast<int>(question.supporting_paragraph_ids.size());
    questions.push_back(std::move(question));
  });
  return questions;
}

}  // namespace steper::datasets
