#include "mapped_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace steper::datasets {

namespace {
[[noreturn]] void fail(const std::string& what, const std::string& path) {
  throw std::runtime_error("cannot " + what + " '" + path + "': " + std::strerror(errno));
}
}  // namespace

// Reserves zeroed anonymous memory for file + padding, then maps the file over its start: the
// padding stays zero even where it crosses into pages past the end of the file.
MappedFile::MappedFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);  // a pipe must not block the open
  if (fd < 0) fail("open", path);
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    ::close(fd);
    fail("read the size of", path);
  }
  if (!S_ISREG(info.st_mode)) {
    ::close(fd);
    throw std::runtime_error("cannot read '" + path + "': not a regular file (a device, pipe or socket)");
  }
  size_ = static_cast<std::size_t>(info.st_size);
  const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  mapped_ = (size_ + simdjson::SIMDJSON_PADDING + page - 1) / page * page;
  void* region = ::mmap(nullptr, mapped_, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (region == MAP_FAILED) {
    ::close(fd);
    fail("reserve memory to map", path);
  }
  if (size_ > 0 && ::mmap(region, size_, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, fd, 0) == MAP_FAILED) {
    ::munmap(region, mapped_);
    ::close(fd);
    fail("map", path);
  }
  ::close(fd);
  data_ = static_cast<char*>(region);
}

MappedFile::~MappedFile() { ::munmap(data_, mapped_); }

}  // namespace steper::datasets
