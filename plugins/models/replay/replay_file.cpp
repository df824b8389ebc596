#include "replay_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace steper::replay {
namespace {

using nlohmann::json;

// The fields a line may have; "meta" is free-form provenance (model, date) and is not read.
constexpr const char* kKnownFields[] = {"question_id", "framework", "question", "outputs", "meta"};

class LineReader {
 public:
  LineReader(const std::string& path, std::size_t line) : where_("replay: " + path + ":" + std::to_string(line)) {}

  [[noreturn]] void fail(const std::string& problem) const { throw std::runtime_error(where_ + ": " + problem); }
  [[noreturn]] void fail_field(const std::string& field, const std::string& expected, const json& found) const {
    fail("field '" + field + "': expected " + expected + ", found " + describe(found));
  }

  static std::string describe(const json& value) {
    std::string text = value.dump();
    if (text.size() > 60) text = text.substr(0, 57) + "...";
    return std::string(value.type_name()) + " " + text;
  }

  std::string string(const json& record, const std::string& field, bool required) const {
    const auto it = record.find(field);
    if (it == record.end()) {
      if (required) fail("missing field '" + field + "' (a string)");
      return {};
    }
    if (!it->is_string()) fail_field(field, "a string", *it);
    return it->get<std::string>();
  }

  std::vector<std::string> outputs(const json& record) const {
    const auto it = record.find("outputs");
    if (it == record.end()) fail("missing field 'outputs' (an array of strings, one per step)");
    if (!it->is_array()) fail_field("outputs", "an array of strings, one per step", *it);
    if (it->empty()) fail("field 'outputs': expected at least one output, found an empty array");
    std::vector<std::string> outputs;
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& output = (*it)[i];
      if (!output.is_string()) fail_field("outputs[" + std::to_string(i) + "]", "a string", output);
      outputs.push_back(output.get<std::string>());
    }
    return outputs;
  }

  void check_fields(const json& record) const {
    for (const auto& [key, value] : record.items()) {
      bool known = false;
      for (const char* field : kKnownFields) known = known || key == field;
      if (!known)
        fail("unknown field '" + key + "' (expected question_id, framework, outputs and optionally question, meta)");
    }
  }

 private:
  std::string where_;
};

}  // namespace

ReplayFile ReplayFile::read(const std::string& path, const std::string& expected_framework) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("replay: cannot open '" + path + "': " + std::strerror(errno));
  ReplayFile file;
  std::string text;
  for (std::size_t line = 1; std::getline(in, text); ++line) {
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.find_first_not_of(" \t") == std::string::npos) continue;
    const LineReader reader(path, line);
    json record;
    try {
      record = json::parse(text);
    } catch (const json::exception& e) {  // parse_error, and out_of_range for a number too large
      reader.fail(std::string("malformed JSON: ") + e.what());
    }
    if (!record.is_object()) reader.fail("expected a JSON object, found " + LineReader::describe(record));
    reader.check_fields(record);
    std::string id = reader.string(record, "question_id", true);
    if (id.empty()) reader.fail("field 'question_id': expected a non-empty string, found \"\"");
    RecordedTrajectory trajectory;
    trajectory.framework = reader.string(record, "framework", true);
    if (!expected_framework.empty() && trajectory.framework != expected_framework)
      reader.fail("field 'framework': expected \"" + expected_framework + "\" (the setting 'framework'), found \"" +
                  trajectory.framework + "\"");
    trajectory.question = reader.string(record, "question", false);
    trajectory.outputs = reader.outputs(record);
    trajectory.line = line;
    if (const auto earlier = file.by_id_.find(id); earlier != file.by_id_.end())
      reader.fail("duplicate question_id \"" + id + "\" (first at line " + std::to_string(earlier->second.line) + ")");
    file.ids_.push_back(id);
    file.by_id_.emplace(std::move(id), std::move(trajectory));
  }
  if (in.bad()) throw std::runtime_error("replay: reading '" + path + "' failed: " + std::strerror(errno));
  return file;
}

const RecordedTrajectory* ReplayFile::find(const std::string& question_id) const {
  const auto it = by_id_.find(question_id);
  return it == by_id_.end() ? nullptr : &it->second;
}

}  // namespace steper::replay
