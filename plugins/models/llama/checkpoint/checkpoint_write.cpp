// Saving a checkpoint folder in the layout Hugging Face transformers writes.
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "atomic_file.hpp"
#include "checkpoint.hpp"
#include "checkpoint_error.hpp"

namespace steper::checkpoint {
namespace {

using nlohmann::json;  // sorted keys, as transformers writes the index

const std::map<std::string, std::string> kFileMetadata{{"format", "pt"}};

// Consecutive runs of tensors whose bytes fit in max_shard_bytes; an oversized tensor stands alone.
std::vector<std::vector<TensorView>> split_into_shards(const std::vector<TensorView>& tensors,
                                                      std::size_t max_shard_bytes) {
  std::vector<std::vector<TensorView>> shards(1);
  std::size_t shard_bytes = 0;
  for (const TensorView& tensor : tensors) {
    if (!shards.back().empty() && shard_bytes + tensor.bytes.size > max_shard_bytes) {
      shards.emplace_back();
      shard_bytes = 0;
    }
    shards.back().push_back(tensor);
    shard_bytes += tensor.bytes.size;
  }
  return shards;
}

void remove_if_present(const std::filesystem::path& path) {
  std::error_code error;
  std::filesystem::remove(path, error);
  if (error) throw CheckpointError(fmt::format("cannot remove the stale file '{}': {}", path.string(), error.message()));
}

}  // namespace

void write_checkpoint(const std::filesystem::path& dir, const std::vector<TensorView>& tensors,
                      std::size_t max_shard_bytes) {
  if (max_shard_bytes == 0) {
    throw CheckpointError(fmt::format("writing checkpoint '{}': max_shard_bytes must be positive", dir.string()));
  }
  // Each shard checks its own names; a name repeated across shards is caught here.
  std::set<std::string_view> names;
  for (const TensorView& tensor : tensors) {
    if (!names.insert(tensor.name).second) {
      throw CheckpointError(fmt::format("writing checkpoint '{}': tensor '{}' given twice", dir.string(), tensor.name));
    }
  }
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) throw CheckpointError(fmt::format("cannot create the checkpoint folder '{}': {}", dir.string(), error.message()));

  const auto shards = split_into_shards(tensors, max_shard_bytes);
  if (shards.size() == 1) {
    write_safetensors(dir / kSingleFileName, tensors, kFileMetadata);
    remove_if_present(dir / kIndexFileName);
    return;
  }
  // A stale model.safetensors would win over the new index, so it goes first.
  remove_if_present(dir / kSingleFileName);
  json weight_map = json::object();
  std::size_t total_size = 0;
  for (std::size_t i = 0; i < shards.size(); ++i) {
    const std::string shard_name = fmt::format("model-{:05d}-of-{:05d}.safetensors", i + 1, shards.size());
    write_safetensors(dir / shard_name, shards[i], kFileMetadata);
    for (const TensorView& tensor : shards[i]) {
      weight_map[tensor.name] = shard_name;
      total_size += tensor.bytes.size;
    }
  }
  const json index = {{"metadata", {{"total_size", total_size}}}, {"weight_map", weight_map}};
  write_text_file(dir / kIndexFileName, index.dump(2) + "\n");
}

}  // namespace steper::checkpoint
