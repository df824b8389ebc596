#include "json_file.hpp"

#include <fmt/format.h>

#include "checkpoint_error.hpp"
#include "plugin_support/mapped_file.hpp"

namespace steper::checkpoint {

nlohmann::json read_json_object(const std::filesystem::path& path, const std::string& where) {
  support::MappedFile file;
  try {
    file = support::MappedFile(path);
  } catch (const support::MappedFileError& e) {
    throw CheckpointError(fmt::format("{}: {}", where, e.reason()));
  }
  if (file.size() > kMaxJsonFileBytes)
    throw CheckpointError(fmt::format("{}: {} bytes; such a file holds at most {} MiB", where, file.size(),
                                      kMaxJsonFileBytes >> 20));
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(file.text());
  } catch (const nlohmann::json::exception& e) {
    throw CheckpointError(fmt::format("{}: not valid JSON: {}", where, e.what()));
  }
  if (!root.is_object())
    throw CheckpointError(fmt::format("{}: expected a JSON object, found {}", where, root.type_name()));
  return root;
}

}  // namespace steper::checkpoint
