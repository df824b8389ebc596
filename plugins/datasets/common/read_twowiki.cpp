// 2WikiMultiHopQA: HotpotQA's layout plus evidence triples and Wikidata answer ids.
#include <algorithm>

#include "readers.hpp"
#include "records.hpp"
#include "titled_sentences.hpp"

namespace steper::datasets {

namespace {

struct Evidence {
  std::string subject, relation, object;
};

std::vector<Evidence> read_evidences(ondemand::value& evidences, JsonSource& source) {
  std::vector<Evidence> triples;
  for (auto entry : source.array(evidences, "evidences")) {
    ondemand::value triple = source.element(entry, "evidences");
    std::vector<std::string> parts;
    for (auto item : source.array(triple, "evidences[i]")) {
      ondemand::value value = source.element(item, "evidences[i]");
      parts.push_back(copy_string(value, source, "evidences[i][j]"));
    }
    if (parts.size() != 3)
      source.fail(nullptr, "evidences[i]", "expected a [subject, relation, object] triple, found " + std::to_string(parts.size()) + " items");
    triples.push_back({std::move(parts[0]), std::move(parts[1]), std::move(parts[2])});
  }
  return triples;
}

// One step per evidence triple; the supporting paragraph is the gold one titled by the subject.
std::vector<DecompositionStep> evidence_steps(const std::vector<Evidence>& evidences,
                                              const std::vector<std::string>& supporting_titles,
                                              const std::vector<std::string>& supporting_ids) {
  std::vector<DecompositionStep> steps;
  for (const Evidence& evidence : evidences) {
    DecompositionStep step{"What is the " + evidence.relation + " of " + evidence.subject + "?", evidence.object, ""};
    auto it = std::find(supporting_titles.begin(), supporting_titles.end(), evidence.subject);
    if (it != supporting_titles.end()) step.paragraph_id = supporting_ids[it - supporting_titles.begin()];
    steps.push_back(std::move(step));
  }
  return steps;
}

void append_aliases(Question& question, const std::vector<std::string>& aliases) {
  for (const std::string& alias : aliases)
    if (std::find(question.answers.begin(), question.answers.end(), alias) == question.answers.end())
      question.answers.push_back(alias);
}

}  // namespace

AnswerAliases read_id_aliases(const std::string& path) {
  AnswerAliases aliases;
  for_each_jsonl_record(path, [&](ondemand::object& record, JsonSource& source) {
    std::string id;
    std::vector<std::string> names;
    for_each_field(record, source, "alias entry", [&](std::string_view key, ondemand::value& value) {
      if (key == "Q_id") {
        id = copy_string(value, source, "Q_id");
      } else if (key == "aliases" || key == "demonyms") {
        for (auto item : source.array(value, key)) {
          ondemand::value name = source.element(item, key);
          names.push_back(copy_string(name, source, key));
        }
      }
    });
    if (id.empty()) source.fail_missing("Q_id");
    aliases[id] = std::move(names);
  });
  return aliases;
}

std::vector<Question> read_twowiki(const std::string& path, const AnswerAliases& aliases, ParagraphIds& ids,
                                   ReadWarnings& warnings) {
  std::vector<Question> questions;
  for_each_array_record(path, [&](ondemand::object& record, JsonSource& source) {
    Question question;
    bool has_id = false, has_question = false, has_answer = false, has_context = false;
    std::string answer_id;
    std::vector<SupportingFact> supporting_facts;
    std::vector<TitledParagraph> context;
    std::vector<Evidence> evidences;
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
      } else if (key == "answer_id") {
        answer_id = copy_string(value, source, "answer_id");
      } else if (key == "type") {
        question.type = copy_string(value, source, "type");
      } else if (key == "supporting_facts") {
        supporting_facts = read_supporting_facts(value, source);
      } else if (key == "evidences") {
        evidences = read_evidences(value, source);
      } else if (key == "context") {
        context = read_titled_sentences(value, source);
        has_context = true;
      }
    });
    if (!has_id) source.fail_missing("_id");
    if (!has_question) source.fail_missing("question");
    if (!has_answer) source.fail_missing("answer");
    if (!has_context) source.fail_missing("context");
    if (auto it = aliases.find(answer_id); !answer_id.empty() && it != aliases.end()) append_aliases(question, it->second);
    for (TitledParagraph& paragraph : context) paragraph.id = ids.id_of(paragraph.title, paragraph.text);
    question.supporting_paragraph_ids = supporting_ids(supporting_facts, context, source, warnings, question.id);
    question.decomposition = evidence_steps(evidences, distinct_titles(supporting_facts), question.supporting_paragraph_ids);
    question.hops = static_cast<int>(question.supporting_paragraph_ids.size());
    questions.push_back(std::move(question));
  });
  return questions;
}

}  // namespace steper::datasets
