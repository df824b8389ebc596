// Small JSON files of a checkpoint folder (config.json, the shard index), read as hostile: only
// a regular file (a device or pipe would block or never end), at most kMaxJsonFileBytes.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace steper::checkpoint {

// Far above any config.json or index (a 405B model's index is about 100 KB).
constexpr std::size_t kMaxJsonFileBytes = std::size_t{64} << 20;

// The JSON object in `path`. Throws CheckpointError("<where>: <problem>").
nlohmann::json read_json_object(const std::filesystem::path& path, const std::string& where);

}  // namespace steper::checkpoint
