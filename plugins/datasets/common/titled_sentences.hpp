// The context and supporting-fact formats HotpotQA and 2WikiMultiHopQA share.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "json_errors.hpp"
#include "read_warnings.hpp"
#include "steper/types.hpp"

namespace steper::datasets {

struct TitledParagraph {
  std::string title;
  std::string text;
  std::string id;  // given by ParagraphIds
  std::size_t sentences = 0;
};

struct SupportingFact {
  std::string title;
  std::int64_t sentence = 0;  // index into the titled paragraph's sentences
};

// `context`: [[title, [sentence, ...]], ...]; the sentences are joined into one text, with a
// space between two sentences unless one already brings it (HotpotQA's sentences start with one).
std::vector<TitledParagraph> read_titled_sentences(ondemand::value& context, JsonSource& source);

// `supporting_facts`: [[title, sentence_index], ...].
std::vector<SupportingFact> read_supporting_facts(ondemand::value& facts, JsonSource& source);

// The distinct titles of `facts`, in order.
std::vector<std::string> distinct_titles(const std::vector<SupportingFact>& facts);

// The ids of the context paragraphs that `facts` name, one per distinct title, in order. A title
// missing from the context is an error; a sentence index outside its paragraph's sentences is
// added to `warnings` (HotpotQA's files hold a few), with `question_id` as the example.
std::vector<std::string> supporting_ids(const std::vector<SupportingFact>& facts,
                                        const std::vector<TitledParagraph>& context, JsonSource& source,
                                        ReadWarnings& warnings, const std::string& question_id);

// A record's string field, copied out of the parser's buffer.
inline std::string copy_string(ondemand::value& value, JsonSource& source, std::string_view field) {
  return std::string(source.string(value, field));
}

}  // namespace steper::datasets
