// The context and supporting-fact formats HotpotQA and 2WikiMultiHopQA share.
#pragma once

#include <string>
#include <vector>

#include "json_errors.hpp"
#include "steper/types.hpp"

namespace steper::datasets {

struct TitledParagraph {
  std::string title;
  std::string text;
  std::string id;  // given by ParagraphIds
};

// `context`: [[title, [sentence, ...]], ...]; the sentences are joined into one text, with a
// space between two sentences unless one already brings it (HotpotQA's sentences start with one).
std::vector<TitledParagraph> read_titled_sentences(ondemand::value& context, JsonSource& source);

// `supporting_facts`: [[title, sentence_index], ...] -> the distinct titles, in order.
std::vector<std::string> read_supporting_titles(ondemand::value& facts, JsonSource& source);

// The ids of the context paragraphs with these titles; a title missing from the context is an error.
std::vector<std::string> supporting_ids(const std::vector<std::string>& titles,
                                        const std::vector<TitledParagraph>& context, JsonSource& source);

// A record's string field, copied out of the parser's buffer.
inline std::string copy_string(ondemand::value& value, JsonSource& source, std::string_view field) {
  return std::string(source.string(value, field));
}

}  // namespace steper::datasets
