#include "records.hpp"

#include <stdexcept>

#include "jsonl_lines.hpp"
#include "plugin_support/mapped_file.hpp"

namespace steper::datasets {

namespace {
std::string malformed(simdjson::error_code error) {
  return std::string("malformed JSON (") + simdjson::error_message(error) + ")";
}

const char* skip_space(const char* at, const char* end) {
  while (at != end && (*at == ' ' || *at == '\n' || *at == '\r' || *at == '\t')) ++at;
  return at;
}

// The byte after the object or array that starts at `begin`, found by tracking brackets outside
// strings; nullptr when the input ends first. Each element is then parsed on its own, so the
// parser's buffers stay the size of one question instead of the whole file.
const char* end_of_value(const char* begin, const char* end) {
  int depth = 0;
  bool in_string = false;
  for (const char* c = begin; c < end; ++c) {
    if (in_string) {
      if (*c == '\\') ++c;
      else if (*c == '"') in_string = false;
      continue;
    }
    if (*c == '"') in_string = true;
    else if (*c == '{' || *c == '[') ++depth;
    else if ((*c == '}' || *c == ']') && --depth == 0) return c + 1;
  }
  return nullptr;
}
}  // namespace

void for_each_array_record(const std::string& path, const ReadRecord& read) {
  const support::MappedFile file(path, support::MappedFile::Access::whole, simdjson::SIMDJSON_PADDING);
  const simdjson::padded_string_view bytes(file.text().data(), file.size(), file.padded_size());
  const char* const end = bytes.data() + bytes.size();
  const char* const padded_end = bytes.data() + bytes.capacity();
  JsonSource source(path, bytes.data());
  const char* at = skip_space(bytes.data(), end);
  if (at == end || *at != '[') source.fail(at, "", "expected a JSON array of questions");
  ondemand::parser parser;
  for (at = skip_space(at + 1, end); at != end && *at != ']'; at = skip_space(at, end)) {
    if (*at != '{') source.fail(at, "", std::string("expected a question object, found '") + *at + "'");
    const char* const record_end = end_of_value(at, end);
    if (record_end == nullptr) source.fail(at, "", "unterminated question object (the file ends inside it)");
    source.set_record(at);
    ondemand::document document;
    if (auto error = parser.iterate(simdjson::padded_string_view(at, record_end - at, padded_end - at)).get(document))
      source.fail(at, "", malformed(error));
    ondemand::value value = source.element(document.get_value(), "");
    ondemand::object record = source.object(value, "");
    read(record, source);
    at = skip_space(record_end, end);
    if (at != end && *at == ',') ++at;
    else if (at == end || *at != ']') source.fail(at, "", "expected ',' or ']' after a question object");
  }
  if (at == end) source.fail(at, "", "the array of questions is not closed with ']'");
  at = skip_space(at + 1, end);
  if (at != end) source.fail(at, "", "unexpected text after the array of questions");
}

void for_each_jsonl_record(const std::string& path, const ReadRecord& read) {
  JsonlLines lines(path);
  JsonSource source(path);
  ondemand::parser parser;
  simdjson::padded_string_view line;
  while (lines.next(line)) {
    source.set_line(lines.line_number(), line.data());
    const char* const line_end = line.data() + line.size();
    const char* const record_end = *skip_space(line.data(), line_end) == '{' ? end_of_value(line.data(), line_end) : nullptr;
    if (record_end != nullptr && skip_space(record_end, line_end) != line_end)
      source.fail(skip_space(record_end, line_end), "", "unexpected text after the record (one JSON object per line)");
    ondemand::document document;
    if (auto error = parser.iterate(line).get(document)) source.fail(nullptr, "", malformed(error));
    ondemand::value value = source.element(document.get_value(), "");
    ondemand::object record = source.object(value, "");
    read(record, source);
  }
}

}  // namespace steper::datasets
