// A JSON value (simdjson DOM) together with the way to it from the document root, so that every
// complaint about a tokenizer.json names the field it is about ("model.merges[12]"). The path is
// spelled out only when a complaint is made: a cursor points at its parent, which must outlive it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <simdjson.h>

namespace steper::bpe {

class JsonCursor {
 public:
  explicit JsonCursor(simdjson::dom::element root);

  // Throws std::invalid_argument("<path>: <message>").
  [[noreturn]] void fail(const std::string& message) const;
  std::string path() const;

  bool is_array() const { return value_.is_array(); }
  bool is_string() const { return value_.is_string(); }
  bool is_boolean() const { return value_.is_bool(); }

  JsonCursor member(std::string_view key) const;  // required field
  std::optional<JsonCursor> optional_member(std::string_view key) const;  // absent or null: none
  std::size_t array_size() const;
  void for_each_element(const std::function<void(const JsonCursor&)>& visit) const;
  // Members in document order; `key` stays valid as long as the document does.
  void for_each_member(const std::function<void(std::string_view key, const JsonCursor&)>& visit) const;

  std::string_view string() const;
  bool boolean() const;
  std::int32_t id() const;  // a token id: an integer in [0, 2^31 - 1)
  std::uint32_t uint32() const;

  // A boolean field that may be absent or null.
  bool boolean_or(std::string_view key, bool fallback) const;

 private:
  JsonCursor(simdjson::dom::element value, const JsonCursor* parent, std::string_view key,
             std::size_t index);
  [[noreturn]] void fail_expected(std::string_view what) const;
  simdjson::dom::object object() const;

  simdjson::dom::element value_;
  const JsonCursor* parent_ = nullptr;
  std::string_view key_;   // the member name, when the parent is an object
  std::size_t index_ = 0;  // the position, when the parent is an array
};

}  // namespace steper::bpe
