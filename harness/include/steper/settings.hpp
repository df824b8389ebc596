// A typed view of one TOML table of the experiment, handed to a plugin at construction.
// Every key read is marked; after construction the host rejects keys nobody read, so a typo
// in an experiment file is an error naming its file, line and column.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace steper {

struct SourceLocation {
  std::string file;  // the experiment file, or "--set" for a command-line override
  int line = 0;
  int column = 0;
  std::string str() const;  // "file:line:column"
};

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Settings {
 public:
  struct Impl;
  explicit Settings(std::shared_ptr<Impl> impl);

  // The dotted path of this table in the experiment, e.g. "retriever".
  const std::string& path() const;
  bool has(std::string_view key) const;

  // A missing key yields the fallback; a key of another type throws ConfigError naming the
  // location, the dotted key, the type expected and the type found. Integers are accepted
  // where floats are expected. Instantiated for int, std::int64_t, double, bool,
  // std::string and std::vector of std::string, double, std::int64_t.
  template <class T>
  T get(std::string_view key, const T& fallback) const;
  template <class T>
  T require(std::string_view key) const;  // a missing key is an error too

  // A string naming a file, resolved against the folder of the file that set it.
  std::string get_path(std::string_view key, const std::string& fallback) const;

  // A nested table (empty when absent).
  Settings table(std::string_view key) const;

  // Throws ConfigError at the key's location: for values of the right type but out of range.
  [[noreturn]] void fail(std::string_view key, const std::string& expected) const;
  SourceLocation location(std::string_view key) const;

  // Keys of this table (and nested tables) that no getter has read.
  std::vector<std::string> unread_keys() const;
  // Throws ConfigError for the first unread key, listing the keys that were read.
  void reject_unread() const;

  std::string to_toml() const;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace steper
