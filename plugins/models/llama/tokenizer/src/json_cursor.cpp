#include "json_cursor.hpp"

#include <limits>
#include <stdexcept>

#include "tokenizer_spec.hpp"

namespace steper::bpe {
namespace {

bool is_identifier(std::string_view key) {
  if (key.empty()) return false;
  for (const char c : key) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!word && c != '_') return false;
  }
  return true;
}

std::string type_name(simdjson::dom::element_type type) {
  switch (type) {
    case simdjson::dom::element_type::ARRAY: return "array";
    case simdjson::dom::element_type::OBJECT: return "object";
    case simdjson::dom::element_type::STRING: return "string";
    case simdjson::dom::element_type::BOOL: return "boolean";
    case simdjson::dom::element_type::NULL_VALUE: return "null";
    default: return "number";
  }
}

// The value as it is written, shortened for an error message.
std::string shown(simdjson::dom::element value) {
  std::string text = simdjson::minify(value);
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

}  // namespace

JsonCursor::JsonCursor(simdjson::dom::element root) : value_(root) {}

JsonCursor::JsonCursor(simdjson::dom::element value, const JsonCursor* parent,
                       std::string_view key, std::size_t index)
    : value_(value), parent_(parent), key_(key), index_(index) {}

std::string JsonCursor::path() const {
  if (parent_ == nullptr) return "";
  std::string parent = parent_->path();
  if (parent_->value_.is_array()) return parent + "[" + std::to_string(index_) + "]";
  if (!is_identifier(key_)) return parent + "[\"" + std::string(key_) + "\"]";
  return parent.empty() ? std::string(key_) : parent + "." + std::string(key_);
}

void JsonCursor::fail(const std::string& message) const {
  const std::string where = path();
  throw std::invalid_argument((where.empty() ? std::string("document root") : where) + ": " +
                              message);
}

void JsonCursor::fail_expected(std::string_view what) const {
  fail("expected " + std::string(what) + ", found " + type_name(value_.type()) + " " +
       shown(value_));
}

simdjson::dom::object JsonCursor::object() const {
  simdjson::dom::object fields;
  if (value_.get_object().get(fields) != simdjson::SUCCESS) fail_expected("an object");
  return fields;
}

JsonCursor JsonCursor::member(std::string_view key) const {
  simdjson::dom::element field;
  if (object().at_key(key).get(field) != simdjson::SUCCESS) {
    fail("missing field \"" + std::string(key) + "\"");
  }
  return JsonCursor(field, this, key, 0);
}

std::optional<JsonCursor> JsonCursor::optional_member(std::string_view key) const {
  simdjson::dom::element field;
  if (object().at_key(key).get(field) != simdjson::SUCCESS || field.is_null()) return std::nullopt;
  return JsonCursor(field, this, key, 0);
}

std::size_t JsonCursor::array_size() const {
  simdjson::dom::array elements;
  if (value_.get_array().get(elements) != simdjson::SUCCESS) fail_expected("an array");
  return elements.size();
}

void JsonCursor::for_each_element(const std::function<void(const JsonCursor&)>& visit) const {
  simdjson::dom::array elements;
  if (value_.get_array().get(elements) != simdjson::SUCCESS) fail_expected("an array");
  std::size_t index = 0;
  for (const simdjson::dom::element element : elements) visit(JsonCursor(element, this, {}, index++));
}

void JsonCursor::for_each_member(
    const std::function<void(std::string_view key, const JsonCursor&)>& visit) const {
  for (const simdjson::dom::key_value_pair field : object()) {
    visit(field.key, JsonCursor(field.value, this, field.key, 0));
  }
}

std::string_view JsonCursor::string() const {
  std::string_view text;
  if (value_.get_string().get(text) != simdjson::SUCCESS) fail_expected("a string");
  return text;
}

bool JsonCursor::boolean() const {
  bool flag = false;
  if (value_.get_bool().get(flag) != simdjson::SUCCESS) fail_expected("true or false");
  return flag;
}

std::int32_t JsonCursor::id() const {
  std::int64_t number = 0;
  if (value_.get_int64().get(number) != simdjson::SUCCESS || number < 0 || number >= kMaxTokenId)
    fail_expected("a token id (an integer from 0 to " + std::to_string(kMaxTokenId - 1) + ")");
  return static_cast<std::int32_t>(number);
}

std::uint32_t JsonCursor::uint32() const {
  std::uint64_t number = 0;
  if (value_.get_uint64().get(number) != simdjson::SUCCESS ||
      number > std::numeric_limits<std::uint32_t>::max()) {
    fail_expected("an unsigned 32-bit integer");
  }
  return static_cast<std::uint32_t>(number);
}

bool JsonCursor::boolean_or(std::string_view key, bool fallback) const {
  const std::optional<JsonCursor> field = optional_member(key);
  return field ? field->boolean() : fallback;
}

}  // namespace steper::bpe
