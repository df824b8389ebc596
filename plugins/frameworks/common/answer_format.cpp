#include "answer_format.hpp"

#include "plugin_support/text.hpp"

namespace steper::frameworks {

using support::trim;

const AnswerFormat* answer_format(std::string_view framework) {
  for (const AnswerFormat& format : kAnswerFormats)
    if (framework == format.framework) return &format;
  return nullptr;
}

std::string answer_format_names() {
  std::string names;
  for (const AnswerFormat& format : kAnswerFormats) names += (names.empty() ? "" : ", ") + std::string(format.framework);
  return names;
}

std::string answer_sentence(const AnswerFormat& format, std::string_view answer) {
  return format.prefix + std::string(answer) + format.suffix;
}

std::optional<std::string> extract_answer(const AnswerFormat& format, std::string_view sentence) {
  const std::string_view marker = format.marker;
  // As Python's re.match, which IRCoT uses: `.` stops at a line break, so only the first line counts.
  const std::string_view line = sentence.substr(0, sentence.find('\n'));
  for (std::size_t at = line.rfind(marker); at != std::string_view::npos;
       at = at == 0 ? std::string_view::npos : line.rfind(marker, at - 1)) {
    const std::string_view after = line.substr(at + marker.size());
    std::size_t skip = 0;
    if (after.size() >= 2 && after[0] == ':' && after[1] == ' ')
      skip = 2;
    else if (!after.empty() && after[0] == ' ')
      skip = 1;
    else
      continue;
    std::string answer = trim(after.substr(skip));
    if (!answer.empty() && answer.back() == '.') answer.pop_back();
    return trim(answer);
  }
  return std::nullopt;
}

}  // namespace steper::frameworks
