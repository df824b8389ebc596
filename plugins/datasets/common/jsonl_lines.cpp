#include "jsonl_lines.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace steper::datasets {

namespace {
constexpr std::size_t kBlockBytes = std::size_t{4} << 20;
constexpr std::size_t kMaxLineBytes = std::size_t{256} << 20;  // no question or paragraph comes near

bool is_blank(const char* begin, const char* end) {
  for (const char* c = begin; c != end; ++c)
    if (*c != ' ' && *c != '\t' && *c != '\r') return false;
  return true;
}
}  // namespace

JsonlLines::JsonlLines(const std::string& path) : path_(path), buffer_(kBlockBytes + simdjson::SIMDJSON_PADDING) {
  struct stat info {};  // before opening: opening a pipe would block
  if (::stat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode))
    throw std::runtime_error("cannot read '" + path + "': not a regular file (a device, pipe or socket)");
  file_ = std::fopen(path.c_str(), "rb");
  if (file_ == nullptr) throw std::runtime_error("cannot open '" + path + "': " + std::strerror(errno));
}

JsonlLines::~JsonlLines() { std::fclose(file_); }

// Moves the unread tail to the front and reads more behind it, growing for very long lines.
bool JsonlLines::refill() {
  if (eof_) return false;
  std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
  end_ -= begin_;
  begin_ = 0;
  if (buffer_.size() - simdjson::SIMDJSON_PADDING - end_ < kBlockBytes / 2) {
    if (buffer_.size() > kMaxLineBytes)
      throw std::runtime_error("'" + path_ + "' line " + std::to_string(line_number_ + 1) + " is longer than " +
                               std::to_string(kMaxLineBytes >> 20) + " MiB (one JSON record per line expected)");
    buffer_.resize(buffer_.size() * 2);
  }
  const std::size_t wanted = buffer_.size() - simdjson::SIMDJSON_PADDING - end_;
  const std::size_t got = std::fread(buffer_.data() + end_, 1, wanted, file_);
  if (got < wanted) {
    if (std::ferror(file_)) throw std::runtime_error("cannot read '" + path_ + "': " + std::strerror(errno));
    eof_ = true;
  }
  end_ += got;
  return got > 0;
}

bool JsonlLines::next(simdjson::padded_string_view& line) {
  for (;;) {
    const char* begin = buffer_.data() + begin_;
    const char* newline = static_cast<const char*>(std::memchr(begin, '\n', end_ - begin_));
    if (newline == nullptr && !eof_) {
      refill();
      continue;
    }
    if (newline == nullptr && begin_ == end_) return false;
    const char* end = newline != nullptr ? newline : buffer_.data() + end_;
    begin_ = newline != nullptr ? begin_ + (end - begin) + 1 : end_;
    ++line_number_;
    if (is_blank(begin, end)) continue;
    const std::size_t capacity = buffer_.data() + buffer_.size() - begin;
    line = simdjson::padded_string_view(begin, end - begin, capacity);
    return true;
  }
}

}  // namespace steper::datasets
