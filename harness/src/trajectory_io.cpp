#include "trajectory_io.hpp"

#include <cmath>
#include <fstream>
#include <limits>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace steper {
namespace {

using json = nlohmann::json;

void write_json(const std::string& path, const json& value) {
  std::ofstream out(path);
  out << value.dump() << '\n';
  if (!out) throw std::runtime_error("cannot write '" + path + "'");
}

json read_json(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read '" + path + "'");
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    throw std::runtime_error("'" + path + "' is not valid JSON: " + e.what());
  }
}

// JSON has no NaN: absent kinds are stored as null.
json number_or_null(double value) { return std::isfinite(value) ? json(value) : json(nullptr); }
double number_or_nan(const json& value) {
  return value.is_null() ? std::numeric_limits<double>::quiet_NaN() : value.get<double>();
}

}  // namespace

void write_trajectories(const std::string& path, const std::vector<Trajectory>& trajectories) {
  json all = json::array();
  for (const auto& t : trajectories) {
    json steps = json::array();
    for (const auto& s : t.steps)
      steps.push_back({{"query", s.query}, {"paragraph_ids", s.paragraph_ids}, {"scores", s.scores},
                       {"prompt_tokens", s.prompt_tokens}, {"generated", s.generated}});
    all.push_back({{"question_id", t.question_id}, {"answer", t.answer}, {"answer_found", t.answer_found},
                   {"end_reason", t.end_reason}, {"steps", steps}});
  }
  write_json(path, all);
}

std::vector<Trajectory> read_trajectories(const std::string& path) {
  std::vector<Trajectory> trajectories;
  try {
    const json all = read_json(path);
    if (!all.is_array()) throw std::runtime_error("'" + path + "' is not a trajectory file: expected an array");
    for (const auto& item : all) {
      Trajectory t;
      t.question_id = item.at("question_id").get<std::string>();
      t.answer = item.at("answer").get<std::string>();
      t.answer_found = item.at("answer_found").get<bool>();
      t.end_reason = item.at("end_reason").get<std::string>();
      for (const auto& s : item.at("steps")) {
        TrajectoryStep step;
        step.query = s.at("query").get<std::string>();
        step.paragraph_ids = s.at("paragraph_ids").get<std::vector<std::string>>();
        step.scores = s.at("scores").get<std::vector<double>>();
        step.prompt_tokens = s.at("prompt_tokens").get<int>();
        step.generated = s.at("generated").get<std::string>();
        t.steps.push_back(std::move(step));
      }
      trajectories.push_back(std::move(t));
    }
  } catch (const json::exception& e) {
    throw std::runtime_error("'" + path + "' is not a trajectory file: " + e.what());
  }
  return trajectories;
}

void write_train_log(const std::string& path, const std::vector<TrainLogRow>& rows) {
  json all = json::array();
  for (const auto& r : rows) {
    json kind_loss = json::array(), kind_weight = json::array();
    for (int k = 0; k < kStepKindCount; ++k) {
      kind_loss.push_back(number_or_null(r.kind_loss[k]));
      kind_weight.push_back(number_or_null(r.kind_weight[k]));
    }
    all.push_back({{"step", r.step}, {"loss", r.loss}, {"kind_loss", kind_loss}, {"kind_weight", kind_weight},
                   {"learning_rate", r.learning_rate}, {"tokens_per_s", r.tokens_per_s},
                   {"dev_score", number_or_null(r.dev_score)}, {"seconds", number_or_null(r.seconds)}});
  }
  write_json(path, all);
}

std::vector<TrainLogRow> read_train_log(const std::string& path) {
  std::vector<TrainLogRow> rows;
  try {
    const json log = read_json(path);
    if (!log.is_array()) throw std::runtime_error("'" + path + "' is not a training log: expected an array of rows");
    for (const auto& item : log) {
      TrainLogRow r;
      r.step = item.at("step").get<std::int64_t>();
      r.loss = item.at("loss").get<double>();
      for (int k = 0; k < kStepKindCount; ++k) {
        r.kind_loss[k] = number_or_nan(item.at("kind_loss").at(k));
        r.kind_weight[k] = number_or_nan(item.at("kind_weight").at(k));
      }
      r.learning_rate = item.at("learning_rate").get<double>();
      r.tokens_per_s = item.at("tokens_per_s").get<double>();
      r.dev_score = number_or_nan(item.at("dev_score"));
      if (item.contains("seconds")) r.seconds = number_or_nan(item.at("seconds"));  // logs written before it lack it
      rows.push_back(r);
    }
  } catch (const json::exception& e) {
    throw std::runtime_error("'" + path + "' is not a training log: " + e.what());
  }
  return rows;
}

}  // namespace steper
