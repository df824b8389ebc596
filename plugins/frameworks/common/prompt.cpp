#include "prompt.hpp"

#include "plugin_support/text.hpp"
#include "prompt_template.hpp"

namespace steper::frameworks {

using support::trim;
using support::truncate_words;

namespace {

constexpr const char* kPassageSeparator = "\n\n";
constexpr const char* kExampleSeparator = "\n\n\n";

}  // namespace

std::string PromptRenderer::example(const std::vector<TitledText>& passages, std::string_view question,
                                    const std::vector<std::string>& pieces) const {
  std::string text;
  for (const TitledText& passage : passages) {
    text += fill_template(templates_.passage,
                          {{"title", passage.title}, {"text", truncate_words(passage.text, passage_words_)}});
    text += kPassageSeparator;
  }
  text += fill_template(templates_.question, {{"question", std::string(question)}});
  for (const std::string& piece : pieces) text += piece;
  return text;
}

void PromptRenderer::set_demonstrations(const std::vector<std::string>& examples) {
  preamble_.clear();
  for (const std::string& example : examples) preamble_ += trim(example) + kExampleSeparator;
}

std::string PromptRenderer::prompt(const std::vector<std::string>& passage_ids, const Corpus& corpus,
                                   std::string_view question, const std::vector<std::string>& pieces) const {
  std::vector<TitledText> passages;
  passages.reserve(passage_ids.size());
  for (const std::string& id : passage_ids) {
    const Paragraph& paragraph = corpus[corpus.doc_of(id)];
    passages.push_back({paragraph.title, paragraph.text});
  }
  return preamble_ + example(passages, question, pieces);
}

}  // namespace steper::frameworks
