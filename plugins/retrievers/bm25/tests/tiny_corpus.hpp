// The four-paragraph corpus the scoring tests compute by hand, and a temporary index folder.
#pragma once

#include <filesystem>
#include <random>
#include <string>

#include "steper/types.hpp"

namespace steper::bm25 {

// Analyzed lengths: titles 1 token each; texts 3, 6, 2, 2 (avgdl 3.25).
inline Corpus tiny_corpus() {
  return Corpus({{"p0", "Paris", "Paris is the capital of France."},
                 {"p1", "France", "France is a country in Europe. France borders Spain."},
                 {"p2", "Spain", "Spain is a country."},
                 {"p3", "Berlin", "Berlin is a city."}});
}

// A fresh empty folder under the system's temporary folder, removed on destruction.
class TemporaryFolder {
 public:
  TemporaryFolder() {
    std::random_device random;
    path_ = (std::filesystem::temp_directory_path() / ("steper_bm25_test_" + std::to_string(random()))).string();
    std::filesystem::create_directories(path_);
  }
  ~TemporaryFolder() { std::filesystem::remove_all(path_); }
  TemporaryFolder(const TemporaryFolder&) = delete;
  TemporaryFolder& operator=(const TemporaryFolder&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace steper::bm25
