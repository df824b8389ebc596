// Opening a checkpoint folder, single-file or sharded.

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "checkpoint.hpp"
#include "checkpoint_error.hpp"
#include "json_file.hpp"

namespace steper::checkpoint {
namespace {

using nlohmann::json;

[[noreturn]] void fail_index(const std::filesystem::path& index, const std::string& problem) {
  throw CheckpointError(fmt::format("checkpoint index '{}': {}", index.string(), problem));
}

json read_index(const std::filesystem::path& index) {
  const json parsed = read_json_object(index, fmt::format("checkpoint index '{}'", index.string()));
  const auto weight_map = parsed.find("weight_map");
  if (weight_map == parsed.end()) fail_index(index, "no \"weight_map\"");
  if (!weight_map->is_object()) {
    fail_index(index, fmt::format("\"weight_map\" must be an object of tensor name to shard file, found {}",
                                  weight_map->type_name()));
  }
  return *weight_map;
}

// Shards sit beside the index: a bare file name, never a path that leaves the folder.
bool is_plain_file_name(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos;
}

}  // namespace

Checkpoint Checkpoint::open(const std::filesystem::path& dir) {
  Checkpoint checkpoint;
  const std::filesystem::path single = dir / kSingleFileName;
  const std::filesystem::path index = dir / kIndexFileName;
  if (std::filesystem::exists(single)) {
    checkpoint.source_ = single;
    auto& file = checkpoint.files_.emplace_back(std::make_unique<SafetensorsFile>(SafetensorsFile::open(single)));
    for (const TensorView& view : file->tensors()) checkpoint.tensors_.emplace(view.name, Entry{file.get(), &view});
    return checkpoint;
  }
  if (!std::filesystem::exists(index)) {
    throw CheckpointError(fmt::format("checkpoint folder '{}' holds neither {} nor {}", dir.string(), kSingleFileName,
                                      kIndexFileName));
  }
  checkpoint.source_ = index;
  std::map<std::string, const SafetensorsFile*> shards;
  const json weight_map = read_index(index);
  for (const auto& [name, shard] : weight_map.items()) {
    if (!shard.is_string() || !is_plain_file_name(shard.get<std::string>())) {
      fail_index(index, fmt::format("tensor '{}': the shard must be a file name beside the index, found {}", name, shard.dump()));
    }
    const std::string shard_name = shard.get<std::string>();
    auto opened = shards.find(shard_name);
    if (opened == shards.end()) {
      const std::filesystem::path shard_path = dir / shard_name;
      if (!std::filesystem::exists(shard_path)) {
        fail_index(index, fmt::format("tensor '{}': its shard '{}' does not exist", name, shard_path.string()));
      }
      auto& file = checkpoint.files_.emplace_back(std::make_unique<SafetensorsFile>(SafetensorsFile::open(shard_path)));
      opened = shards.emplace(shard_name, file.get()).first;
    }
    const TensorView* view = opened->second->find(name);
    if (view == nullptr) {
      fail_index(index, fmt::format("tensor '{}' is not in its shard '{}'", name, opened->second->path().string()));
    }
    checkpoint.tensors_.emplace(name, Entry{opened->second, view});
  }
  return checkpoint;
}

const TensorView* Checkpoint::find(std::string_view name) const {
  const auto it = tensors_.find(name);
  return it == tensors_.end() ? nullptr : it->second.view;
}

const TensorView& Checkpoint::require(std::string_view name, const std::vector<std::int64_t>& expected_shape) const {
  const auto it = tensors_.find(name);
  if (it == tensors_.end()) {
    throw CheckpointError(fmt::format("checkpoint '{}': tensor '{}' is missing (expected shape {})", source_.string(),
                                      name, format_shape(expected_shape)));
  }
  const TensorView& view = *it->second.view;
  if (view.shape != expected_shape) {
    throw CheckpointError(fmt::format("checkpoint '{}': tensor '{}' has shape {}, expected {}",
                                      it->second.file->path().string(), name, format_shape(view.shape),
                                      format_shape(expected_shape)));
  }
  return view;
}

std::vector<std::string> Checkpoint::names() const {
  std::vector<std::string> names;
  names.reserve(tensors_.size());
  for (const auto& entry : tensors_) names.push_back(entry.first);
  return names;
}

}  // namespace steper::checkpoint
