// An exclusive flock(2) on a file, held for the object's lifetime; used so that processes
// (--jobs children, Slurm tasks, a second `steper run`) never build the same thing twice.
#pragma once

#include <string>

namespace steper {

class FileLock {
 public:
  // Blocks until the lock is held. Throws std::runtime_error naming the file.
  explicit FileLock(const std::string& path);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_;
};

}  // namespace steper
