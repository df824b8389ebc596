// Canonical TOML text of configuration values. Cell ids hash this text, so it is written here
// rather than by toml++'s formatter, whose output changes with its build options (floats
// print as 0.10000000000000001 without <charconv>) and with how a table was written (inline
// or not): keys sorted, tables as [headers], inline tables only inside arrays, floats in
// their shortest round-trip form.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "config_text.hpp"

namespace steper {
namespace {

std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char escape[8];
          std::snprintf(escape, sizeof escape, "\\u%04X", c);
          out += escape;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string key_text(std::string_view key) { return is_bare_key(key) ? std::string(key) : quoted(key); }

std::string float_text(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  std::string text(buffer, result.ptr);
  if (text.find_first_of(".eE") == std::string::npos) text += ".0";
  return text;
}

void write_table(std::string& out, const toml::table& table, const std::string& header) {
  std::string values;
  bool has_tables = false;
  for (const auto& [key, value] : table) {
    if (value.is_table())
      has_tables = true;
    else
      values += key_text(key.str()) + " = " + value_text(value) + "\n";
  }
  if (!header.empty() && (!values.empty() || !has_tables)) {
    if (!out.empty()) out += "\n";
    out += "[" + header + "]\n";
  }
  out += values;
  for (const auto& [key, value] : table) {
    if (const toml::table* inner = value.as_table())
      write_table(out, *inner, header.empty() ? key_text(key.str()) : header + "." + key_text(key.str()));
  }
}

}  // namespace

bool is_bare_key(std::string_view key) {
  if (key.empty()) return false;
  for (char c : key) {
    const bool bare =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!bare) return false;
  }
  return true;
}

std::string type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

std::string value_text(const toml::node& node) {
  std::string text;
  switch (node.type()) {
    case toml::node_type::string:
      return quoted(node.as_string()->get());
    case toml::node_type::integer:
      return std::to_string(node.as_integer()->get());
    case toml::node_type::floating_point:
      return float_text(node.as_floating_point()->get());
    case toml::node_type::boolean:
      return node.as_boolean()->get() ? "true" : "false";
    case toml::node_type::array:
      for (const auto& element : *node.as_array()) text += (text.empty() ? "" : ", ") + value_text(element);
      return "[" + text + "]";
    case toml::node_type::table:
      if (node.as_table()->empty()) return "{}";
      for (const auto& [key, value] : *node.as_table())
        text += (text.empty() ? "" : ", ") + key_text(key.str()) + " = " + value_text(value);
      return "{ " + text + " }";
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time:
    case toml::node_type::none:
      break;
  }
  std::ostringstream out;  // dates and times: toml++ writes them exactly
  out << toml::toml_formatter(node);
  return out.str();
}

std::string describe(const toml::node& node) {
  constexpr std::size_t kMaxShown = 60;
  std::string text = value_text(node);
  if (text.size() > kMaxShown) text = text.substr(0, kMaxShown - 3) + "...";
  return type_name(node) + " (" + text + ")";
}

std::string to_toml_text(const toml::table& table) {
  std::string out;
  write_table(out, table, "");
  return out;
}

}  // namespace steper
