// Typed access to simdjson on-demand values with errors that read like UI text: the file, the
// line (JSONL) or byte offset (JSON), the field, what was expected and what was found.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <simdjson.h>

namespace steper::datasets {

namespace ondemand = simdjson::ondemand;

// Whether `value` is JSON null. Malformed text counts as not null, so that the typed read that
// follows reports it (simdjson's own bool conversion would throw its exception instead).
inline bool is_null(ondemand::value& value) {
  bool null = false;
  return value.is_null().get(null) == simdjson::SUCCESS && null;
}

// Where the values being read come from. For a JSONL file set_line() before each line; byte
// offsets are then counted from the line's start, otherwise from the start of the file.
class JsonSource {
 public:
  explicit JsonSource(std::string path, const char* base = nullptr) : path_(std::move(path)), base_(base) {}
  void set_line(std::size_t line, const char* line_begin) {
    line_ = line;
    base_ = line_begin;
    record_ = line_begin;
  }
  // The start of the record being read: the location of errors that have none of their own.
  void set_record(const char* record_begin) { record_ = record_begin; }

  // `at` points into the parsed bytes (nullptr when unknown); `field` names the JSON field.
  [[noreturn]] void fail(const char* at, std::string_view field, std::string_view problem) const;
  // A required field the record lacks; located at the record's start.
  [[noreturn]] void fail_missing(std::string_view field) const;

  std::string_view string(ondemand::value& value, std::string_view field) const;
  std::int64_t integer(ondemand::value& value, std::string_view field) const;
  bool boolean(ondemand::value& value, std::string_view field) const;
  ondemand::array array(ondemand::value& value, std::string_view field) const;
  ondemand::object object(ondemand::value& value, std::string_view field) const;
  // The next element of an array or field of an object, failing on malformed JSON.
  ondemand::value element(simdjson::simdjson_result<ondemand::value> element, std::string_view field) const;
  ondemand::field member(simdjson::simdjson_result<ondemand::field> member, std::string_view record) const;
  std::string_view key(ondemand::field& member, std::string_view record) const;

 private:
  [[noreturn]] void fail_value(ondemand::value& value, std::string_view field, const char* expected,
                               simdjson::error_code error) const;

  std::string path_;
  const char* base_ = nullptr;
  const char* record_ = nullptr;
  std::size_t line_ = 0;  // 0: not a JSONL file
};

}  // namespace steper::datasets
