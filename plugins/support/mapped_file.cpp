#include "plugin_support/mapped_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace steper::support {
namespace {

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

// With padding, zeroed anonymous memory is reserved for file + padding and the file is mapped
// over its start: the padding stays zero even where it crosses into pages past the file's end.
MappedFile::MappedFile(const std::filesystem::path& path, Access access, std::size_t zero_padding)
    : path_(path), padding_(zero_padding) {
  const FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (fd.get() < 0) throw MappedFileError("open", path, std::strerror(errno));
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) throw MappedFileError("read the size of", path, std::strerror(errno));
  if (!S_ISREG(info.st_mode)) throw MappedFileError("read", path, "not a regular file (a device, pipe or socket)");
  size_ = static_cast<std::size_t>(info.st_size);
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  mapped_ = (size_ + padding_ + page - 1) / page * page;
  if (mapped_ == 0) return;
  const int populate = access == Access::whole ? MAP_POPULATE : 0;
  void* region = padding_ == 0 ? ::mmap(nullptr, mapped_, PROT_READ, MAP_PRIVATE | populate, fd.get(), 0)
                               : ::mmap(nullptr, mapped_, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (region == MAP_FAILED) throw MappedFileError("map", path, std::strerror(errno));
  if (padding_ > 0 && size_ > 0 &&
      ::mmap(region, size_, PROT_READ, MAP_PRIVATE | MAP_FIXED | populate, fd.get(), 0) == MAP_FAILED) {
    const int error = errno;
    ::munmap(region, mapped_);
    throw MappedFileError("map", path, std::strerror(error));
  }
  data_ = static_cast<const std::byte*>(region);
}

MappedFile::~MappedFile() { unmap(); }

MappedFile::MappedFile(MappedFile&& other) noexcept
    : path_(std::move(other.path_)),
      data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      padding_(std::exchange(other.padding_, 0)),
      mapped_(std::exchange(other.mapped_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    unmap();
    path_ = std::move(other.path_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    padding_ = std::exchange(other.padding_, 0);
    mapped_ = std::exchange(other.mapped_, 0);
  }
  return *this;
}

void MappedFile::unmap() noexcept {
  if (data_ != nullptr) ::munmap(const_cast<std::byte*>(data_), mapped_);
}

}  // namespace steper::support
