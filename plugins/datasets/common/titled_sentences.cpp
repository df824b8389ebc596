#include "titled_sentences.hpp"

#include <algorithm>

namespace steper::datasets {

namespace {
bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t'; }

void append_sentence(std::string& text, std::string_view sentence) {
  if (!text.empty() && !sentence.empty() && !is_space(text.back()) && !is_space(sentence.front())) text += ' ';
  text += sentence;
}

std::string trimmed(std::string text) {
  const auto first = std::find_if_not(text.begin(), text.end(), is_space);
  const auto last = std::find_if_not(text.rbegin(), text.rend(), is_space).base();
  return first < last ? std::string(first, last) : std::string();
}
}  // namespace

std::vector<TitledParagraph> read_titled_sentences(ondemand::value& context, JsonSource& source) {
  std::vector<TitledParagraph> paragraphs;
  for (auto entry : source.array(context, "context")) {
    ondemand::value pair_value = source.element(entry, "context");
    TitledParagraph paragraph;
    int position = 0;
    for (auto item : source.array(pair_value, "context[i]")) {
      ondemand::value value = source.element(item, "context[i]");
      if (position == 0) {
        paragraph.title = copy_string(value, source, "context[i][0] (title)");
      } else if (position == 1) {
        for (auto sentence : source.array(value, "context[i][1] (sentences)")) {
          ondemand::value sentence_value = source.element(sentence, "context[i][1]");
          append_sentence(paragraph.text, source.string(sentence_value, "context[i][1][j] (sentence)"));
          ++paragraph.sentences;
        }
      }
      ++position;
    }
    if (position != 2) source.fail(nullptr, "context[i]", "expected a [title, [sentences]] pair, found " + std::to_string(position) + " items");
    paragraph.text = trimmed(std::move(paragraph.text));
    paragraphs.push_back(std::move(paragraph));
  }
  return paragraphs;
}

std::vector<SupportingFact> read_supporting_facts(ondemand::value& facts, JsonSource& source) {
  std::vector<SupportingFact> read;
  for (auto entry : source.array(facts, "supporting_facts")) {
    ondemand::value fact = source.element(entry, "supporting_facts");
    SupportingFact supporting;
    int position = 0;
    for (auto item : source.array(fact, "supporting_facts[i]")) {
      ondemand::value value = source.element(item, "supporting_facts[i]");
      if (position == 0) {
        supporting.title = copy_string(value, source, "supporting_facts[i][0] (title)");
      } else if (position == 1) {
        supporting.sentence = source.integer(value, "supporting_facts[i][1] (sentence index)");
      }
      ++position;
    }
    if (position != 2) source.fail(nullptr, "supporting_facts[i]", "expected a [title, sentence_index] pair, found " + std::to_string(position) + " items");
    read.push_back(std::move(supporting));
  }
  return read;
}

std::vector<std::string> distinct_titles(const std::vector<SupportingFact>& facts) {
  std::vector<std::string> titles;
  for (const SupportingFact& fact : facts)
    if (std::find(titles.begin(), titles.end(), fact.title) == titles.end()) titles.push_back(fact.title);
  return titles;
}

std::vector<std::string> supporting_ids(const std::vector<SupportingFact>& facts,
                                        const std::vector<TitledParagraph>& context, JsonSource& source,
                                        ReadWarnings& warnings, const std::string& question_id) {
  auto paragraph_titled = [&](const std::string& title) {
    auto it = std::find_if(context.begin(), context.end(), [&](const TitledParagraph& p) { return p.title == title; });
    if (it == context.end())
      source.fail(nullptr, "supporting_facts", "title '" + title + "' is not among the question's context titles");
    return it;
  };
  for (const SupportingFact& fact : facts) {
    const auto paragraph = paragraph_titled(fact.title);
    if (fact.sentence < 0 || static_cast<std::size_t>(fact.sentence) >= paragraph->sentences)
      warnings.add("supporting facts name a sentence outside their paragraph",
                   "question '" + question_id + "': ['" + fact.title + "', " + std::to_string(fact.sentence) +
                       "] in a paragraph of " + std::to_string(paragraph->sentences) +
                       (paragraph->sentences == 1 ? " sentence" : " sentences"));
  }
  std::vector<std::string> ids;
  for (const std::string& title : distinct_titles(facts)) ids.push_back(paragraph_titled(title)->id);
  return ids;
}

}  // namespace steper::datasets
