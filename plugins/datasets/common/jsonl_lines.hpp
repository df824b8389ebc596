// Streams a JSONL file line by line in large blocks, each line handed out with the padding
// simdjson needs behind it, so no line is copied.
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

#include <simdjson.h>

namespace steper::datasets {

class JsonlLines {
 public:
  explicit JsonlLines(const std::string& path);  // throws std::runtime_error naming the path
  ~JsonlLines();
  JsonlLines(const JsonlLines&) = delete;
  JsonlLines& operator=(const JsonlLines&) = delete;

  // The next non-blank line (without its newline), valid until the next call; false at the end.
  bool next(simdjson::padded_string_view& line);
  std::size_t line_number() const { return line_number_; }  // 1-based, of the last line returned

 private:
  bool refill();

  std::string path_;
  std::FILE* file_ = nullptr;
  std::vector<char> buffer_;  // [begin_, end_) holds unread bytes; padding follows end_
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  bool eof_ = false;
  std::size_t line_number_ = 0;
};

}  // namespace steper::datasets
