#include "result_seal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace steper {
namespace {

// "steper-result-seal 1 bytes=<rest of the file> fnv1a64=<16 hex digits>\n", then NULs.
constexpr const char* kSealFormat = "steper-result-seal 1 bytes=%" SCNu64 " fnv1a64=%16" SCNx64 "\n";
constexpr char kSealPrefix[] = "steper-result-seal ";
constexpr unsigned char kHdf5Signature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

class File {
 public:
  File(const std::string& path, int flags) : path_(path), fd_(::open(path.c_str(), flags | O_CLOEXEC)) {
    if (fd_ < 0) fail("cannot open");
  }
  ~File() { ::close(fd_); }
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error(what + " result file '" + path_ + "': " + std::strerror(errno));
  }
  // Reads up to `size` bytes at `offset`; returns how many there were.
  std::size_t read_at(void* data, std::size_t size, std::uint64_t offset) const {
    std::size_t done = 0;
    while (done < size) {
      const ssize_t got = ::pread(fd_, static_cast<char*>(data) + done, size - done, static_cast<off_t>(offset + done));
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) fail("cannot read");
      if (got == 0) break;
      done += static_cast<std::size_t>(got);
    }
    return done;
  }
  void write_at(const void* data, std::size_t size, std::uint64_t offset) const {
    std::size_t done = 0;
    while (done < size) {
      const ssize_t put = ::pwrite(fd_, static_cast<const char*>(data) + done, size - done, static_cast<off_t>(offset + done));
      if (put < 0 && errno == EINTR) continue;
      if (put <= 0) fail("cannot write the seal of");
      done += static_cast<std::size_t>(put);
    }
  }

 private:
  std::string path_;
  int fd_;
};

struct Rest {
  std::uint64_t bytes = 0;
  std::uint64_t checksum = 0;
};

// FNV-1a over everything after the user block.
Rest checksum_after_user_block(const File& file) {
  Rest rest;
  rest.checksum = 0xcbf29ce484222325ull;
  std::vector<unsigned char> buffer(1 << 20);
  for (std::size_t got; (got = file.read_at(buffer.data(), buffer.size(), kResultUserBlockBytes + rest.bytes)) > 0;) {
    for (std::size_t i = 0; i < got; ++i) rest.checksum = (rest.checksum ^ buffer[i]) * 0x100000001b3ull;
    rest.bytes += got;
  }
  return rest;
}

}  // namespace

void seal_result_file(const std::string& path) {
  const File file(path, O_RDWR);
  const Rest rest = checksum_after_user_block(file);
  char block[kResultUserBlockBytes] = {};
  std::snprintf(block, sizeof block, "steper-result-seal 1 bytes=%" PRIu64 " fnv1a64=%016" PRIx64 "\n", rest.bytes,
                rest.checksum);
  file.write_at(block, sizeof block, 0);
}

ResultSeal check_result_seal(const std::string& path) {
  const File file(path, O_RDONLY);
  char block[kResultUserBlockBytes + 1] = {};
  const std::size_t got = file.read_at(block, kResultUserBlockBytes, 0);
  if (got >= sizeof kHdf5Signature && std::memcmp(block, kHdf5Signature, sizeof kHdf5Signature) == 0)
    return ResultSeal::unsealed;
  if (std::strncmp(block, kSealPrefix, sizeof kSealPrefix - 1) != 0)
    throw std::runtime_error("result file '" + path + "' is not an HDF5 file");
  const auto damaged = [&](const std::string& what) {
    return std::runtime_error("result file '" + path + "' is damaged: " + what +
                              "; run its cell again (steper run --cell <id> --force)");
  };
  Rest sealed;
  const char* line_end = static_cast<const char*>(std::memchr(block, '\n', kResultUserBlockBytes));
  if (got < kResultUserBlockBytes || line_end == nullptr ||
      std::sscanf(block, kSealFormat, &sealed.bytes, &sealed.checksum) != 2)
    throw damaged("its seal is not readable");
  if (std::any_of(line_end + 1, static_cast<const char*>(block) + kResultUserBlockBytes, [](char c) { return c != 0; }))
    throw damaged("the padding of its seal was written over");
  const Rest found = checksum_after_user_block(file);
  if (found.bytes != sealed.bytes)
    throw damaged("it holds " + std::to_string(found.bytes) + " bytes after its seal, which says " +
                  std::to_string(sealed.bytes) + " (cut short or appended to)");
  if (found.checksum != sealed.checksum) throw damaged("its checksum does not match its seal (bytes changed)");
  return ResultSeal::sealed;
}

}  // namespace steper
