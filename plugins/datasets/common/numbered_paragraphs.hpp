// The paragraph list MuSiQue and IRCoT's processed files share:
// [{idx, title, paragraph_text, is_supporting}].
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "json_errors.hpp"
#include "paragraph_ids.hpp"

namespace steper::datasets {

struct NumberedParagraph {
  std::int64_t idx = -1;  // -1 when the file gives none
  std::string title;
  std::string id;  // given by ParagraphIds
  bool supporting = false;
};

// Reads the list and names each paragraph through `ids`; `field` is the list's field name.
std::vector<NumberedParagraph> read_numbered_paragraphs(ondemand::value& list, JsonSource& source,
                                                        std::string_view field, ParagraphIds& ids);

std::vector<std::string> supporting_ids(const std::vector<NumberedParagraph>& paragraphs);

}  // namespace steper::datasets
