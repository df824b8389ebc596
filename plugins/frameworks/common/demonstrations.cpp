#include "demonstrations.hpp"

#include <algorithm>
#include <stdexcept>
#include <string_view>

#include <nlohmann/json.hpp>

#include "plugin_support/mapped_file.hpp"
#include "plugin_support/text.hpp"

namespace steper::frameworks {

using support::trim;

namespace {

using nlohmann::json;

// Far past a handful of worked examples; a larger file is a mistake.
constexpr std::size_t kMaxDemonstrationBytes = std::size_t{16} << 20;

std::string describe(const json& value) {
  std::string text = value.dump();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return std::string(value.type_name()) + " " + text;
}

// Reads the fields of one object, naming the file, line and field path in every error.
class Fields {
 public:
  Fields(const json& object, std::string where, std::string path, std::vector<std::string> known)
      : object_(object), where_(std::move(where)), path_(std::move(path)) {
    if (!object_.is_object()) fail(path_.empty() ? "the line" : "'" + path_ + "'", "an object", object_);
    for (const auto& [key, value] : object_.items())
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        std::string list;
        for (const auto& name : known) list += (list.empty() ? "" : ", ") + name;
        throw std::runtime_error(where_ + ": unknown field '" + field(key) + "' (known: " + list + ")");
      }
  }

  std::string string(const std::string& key, bool required) const {
    const auto it = object_.find(key);
    if (it == object_.end()) {
      if (required) throw std::runtime_error(where_ + ": missing field '" + field(key) + "' (a non-empty string)");
      return {};
    }
    if (!it->is_string() || trim(it->get<std::string>()).empty())
      fail("field '" + field(key) + "'", "a non-empty string", *it);
    return it->get<std::string>();
  }

  const json& array(const std::string& key) const {
    const auto it = object_.find(key);
    if (it == object_.end()) throw std::runtime_error(where_ + ": missing field '" + field(key) + "' (an array)");
    if (!it->is_array()) fail("field '" + field(key) + "'", "an array", *it);
    return *it;
  }

  std::string field(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  const std::string& where() const { return where_; }

 private:
  [[noreturn]] void fail(const std::string& what, const std::string& expected, const json& found) const {
    throw std::runtime_error(where_ + ": " + what + ": expected " + expected + ", found " + describe(found));
  }

  const json& object_;
  std::string where_;
  std::string path_;
};

Demonstration parse(const json& record, const std::string& where, int line) {
  const Fields fields(record, where, "", {"question", "passages", "steps", "answer"});
  Demonstration demo;
  demo.line = line;
  demo.question = fields.string("question", true);
  demo.answer = fields.string("answer", true);
  const json& passages = fields.array("passages");
  for (std::size_t i = 0; i < passages.size(); ++i) {
    const Fields passage(passages[i], where, "passages[" + std::to_string(i) + "]", {"title", "text"});
    demo.passages.push_back({passage.string("title", true), passage.string("text", true)});
  }
  const json& steps = fields.array("steps");
  if (steps.empty()) throw std::runtime_error(where + ": field 'steps': expected at least one step, found none");
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const Fields step(steps[i], where, "steps[" + std::to_string(i) + "]", {"follow_up", "sentence"});
    demo.steps.push_back({step.string("follow_up", false), step.string("sentence", true)});
  }
  return demo;
}

}  // namespace

std::vector<Demonstration> read_demonstrations(const std::string& path) {
  support::MappedFile file;
  try {
    file = support::MappedFile(path, support::MappedFile::Access::whole);
  } catch (const support::MappedFileError& e) {
    throw std::runtime_error("demonstrations: cannot read '" + path + "': " + e.reason());
  }
  if (file.size() > kMaxDemonstrationBytes)
    throw std::runtime_error("demonstrations '" + path + "': " + std::to_string(file.size()) +
                             " bytes; a demonstrations file holds at most 16 MiB");
  std::vector<Demonstration> demos;
  const std::string_view text = file.text();
  int line = 0;
  for (std::size_t start = 0; start < text.size(); ++line) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view content = text.substr(start, end - start);
    start = end + 1;
    if (trim(content).empty()) continue;
    const std::string where = "demonstrations '" + path + "':" + std::to_string(line + 1);
    json record;
    try {
      record = json::parse(content);
    } catch (const json::exception& e) {  // parse_error, and out_of_range for a number too large
      throw std::runtime_error(where + ": malformed JSON (" + e.what() + ")");
    }
    demos.push_back(parse(record, where, line + 1));
  }
  if (demos.empty()) throw std::runtime_error("demonstrations '" + path + "': expected at least one demonstration, found none");
  return demos;
}

}  // namespace steper::frameworks
