#include "json_errors.hpp"

#include <stdexcept>

namespace steper::datasets {

namespace {

const char* type_name(ondemand::value& value) {
  ondemand::json_type type;
  if (value.type().get(type)) return "malformed JSON";
  switch (type) {
    case ondemand::json_type::array: return "an array";
    case ondemand::json_type::object: return "an object";
    case ondemand::json_type::number: return "a number";
    case ondemand::json_type::string: return "a string";
    case ondemand::json_type::boolean: return "a boolean";
    case ondemand::json_type::null: return "null";
  }
  return "an unknown value";
}

}  // namespace

void JsonSource::fail(const char* at, std::string_view field, std::string_view problem) const {
  if (at == nullptr) at = record_;
  std::string message = "'" + path_ + "'";
  if (line_ != 0) message += ", line " + std::to_string(line_);
  if (at != nullptr && base_ != nullptr && at >= base_)
    message += line_ != 0 ? ", column " + std::to_string(at - base_ + 1) : ", byte " + std::to_string(at - base_);
  if (!field.empty()) message += ", field '" + std::string(field) + "'";
  throw std::runtime_error(message + ": " + std::string(problem));
}

void JsonSource::fail_missing(std::string_view field) const {
  fail(nullptr, field, "missing required field");
}

void JsonSource::fail_value(ondemand::value& value, std::string_view field, const char* expected,
                            simdjson::error_code error) const {
  const char* at = nullptr;
  if (value.current_location().get(at)) at = nullptr;
  if (error != simdjson::INCORRECT_TYPE && error != simdjson::NUMBER_OUT_OF_RANGE)
    fail(at, field, std::string("malformed JSON where ") + expected + " was expected (" + simdjson::error_message(error) + ")");
  fail(at, field, std::string("expected ") + expected + ", found " + type_name(value));
}

std::string_view JsonSource::string(ondemand::value& value, std::string_view field) const {
  std::string_view text;
  if (auto error = value.get_string().get(text)) fail_value(value, field, "a string", error);
  return text;
}

std::int64_t JsonSource::integer(ondemand::value& value, std::string_view field) const {
  std::int64_t number = 0;
  if (auto error = value.get_int64().get(number)) fail_value(value, field, "an integer", error);
  return number;
}

bool JsonSource::boolean(ondemand::value& value, std::string_view field) const {
  bool flag = false;
  if (auto error = value.get_bool().get(flag)) fail_value(value, field, "true or false", error);
  return flag;
}

ondemand::array JsonSource::array(ondemand::value& value, std::string_view field) const {
  ondemand::array items;
  if (auto error = value.get_array().get(items)) fail_value(value, field, "an array", error);
  return items;
}

ondemand::object JsonSource::object(ondemand::value& value, std::string_view field) const {
  ondemand::object members;
  if (auto error = value.get_object().get(members)) fail_value(value, field, "an object", error);
  return members;
}

ondemand::value JsonSource::element(simdjson::simdjson_result<ondemand::value> element, std::string_view field) const {
  ondemand::value value;
  if (auto error = std::move(element).get(value))
    fail(nullptr, field, std::string("malformed JSON (") + simdjson::error_message(error) + ")");
  return value;
}

ondemand::field JsonSource::member(simdjson::simdjson_result<ondemand::field> member, std::string_view record) const {
  ondemand::field result;
  if (auto error = std::move(member).get(result))
    fail(nullptr, record, std::string("malformed JSON (") + simdjson::error_message(error) + ")");
  return result;
}

std::string_view JsonSource::key(ondemand::field& member, std::string_view record) const {
  std::string_view name;
  if (auto error = member.unescaped_key().get(name))
    fail(nullptr, record, std::string("malformed JSON key (") + simdjson::error_message(error) + ")");
  return name;
}

}  // namespace steper::datasets
