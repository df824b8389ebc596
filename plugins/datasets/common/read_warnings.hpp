// What a reader accepts but a user should hear about (public datasets hold a few oddities that
// refusing the file would make unusable): each kind counted, with its first example.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace steper::datasets {

class ReadWarnings {
 public:
  // `kind` says what is wrong ("supporting facts name a sentence past their paragraph's"),
  // `example` where (a question id and the values).
  void add(const std::string& kind, const std::string& example);
  // One line per kind, in order of first appearance: "<n> <kind> (first: <example>)".
  std::vector<std::string> lines() const;
  void clear() { kinds_.clear(); }

 private:
  struct Kind {
    std::string what;
    std::string first_example;
    std::size_t count = 0;
  };
  std::vector<Kind> kinds_;
};

}  // namespace steper::datasets
