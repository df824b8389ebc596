// The tables the core itself reads: [experiment], [run], [eval]. ([train] is in trainer.hpp.)
#pragma once

#include <string>
#include <vector>

#include "steper/settings.hpp"
#include "steper/types.hpp"

namespace steper {

struct ExperimentSettings {
  std::string name;                      // default: the experiment file's name
  std::string description;
  std::string results_dir = "results";   // relative to the working folder
  std::string cache_dir = "cache";       // relative to the working folder
  std::vector<std::string> plugin_path;  // relative to the file that sets it
  static ExperimentSettings read(const Settings& table, const std::string& default_name);
};

struct RunSettings {
  std::string device = "cpu";  // "cpu" or "cuda"
  int threads = 0;             // intra-op threads; 0: LibTorch's default
  // The share of questions whose model calls may fail (teacher stage, evaluation) before the
  // cell fails; failed teacher questions are never cached and are asked again on the next run.
  double max_error_rate = 0.0;
  static RunSettings read(const Settings& table);
};

struct EvalSettings {
  Split split = Split::test;
  int questions = 0;                // evaluate the first n questions of the split; 0: all
  std::string model = "student";    // "student" or "teacher"
  bool teacher_trajectories = true;  // store the training questions' teacher trajectories in the result file
  static EvalSettings read(const Settings& table);
};

}  // namespace steper
