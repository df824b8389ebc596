#include "numbered_paragraphs.hpp"

#include <cstdint>
#include <unordered_set>

#include "records.hpp"

namespace steper::datasets {

std::vector<NumberedParagraph> read_numbered_paragraphs(ondemand::value& list, JsonSource& source,
                                                        std::string_view field, ParagraphIds& ids) {
  const std::string item_name = std::string(field) + "[i]";
  const std::string idx_name = item_name + ".idx", title_name = item_name + ".title",
                    text_name = item_name + ".paragraph_text", supporting_name = item_name + ".is_supporting";
  std::vector<NumberedParagraph> paragraphs;
  std::unordered_set<std::int64_t> numbers;  // idx values given so far (a hostile line may hold millions)
  for (auto entry : source.array(list, field)) {
    ondemand::value item = source.element(entry, item_name);
    ondemand::object members = source.object(item, item_name);
    NumberedParagraph paragraph;
    std::string text;
    bool has_title = false, has_text = false;
    for_each_field(members, source, item_name, [&](std::string_view key, ondemand::value& value) {
      if (key == "idx") {
        paragraph.idx = source.integer(value, idx_name);
      } else if (key == "title") {
        paragraph.title = std::string(source.string(value, title_name));
        has_title = true;
      } else if (key == "paragraph_text") {
        text = std::string(source.string(value, text_name));
        has_text = true;
      } else if (key == "is_supporting") {
        paragraph.supporting = source.boolean(value, supporting_name);
      }
    });
    if (!has_title) source.fail_missing(title_name);
    if (!has_text) source.fail_missing(text_name);
    if (paragraph.idx >= 0 && !numbers.insert(paragraph.idx).second)
      source.fail(nullptr, idx_name, "idx " + std::to_string(paragraph.idx) + " is given to two paragraphs");
    paragraph.id = ids.id_of(paragraph.title, text);
    paragraphs.push_back(std::move(paragraph));
  }
  return paragraphs;
}

std::vector<std::string> supporting_ids(const std::vector<NumberedParagraph>& paragraphs) {
  std::vector<std::string> ids;
  for (const NumberedParagraph& paragraph : paragraphs)
    if (paragraph.supporting) ids.push_back(paragraph.id);
  return ids;
}

}  // namespace steper::datasets
