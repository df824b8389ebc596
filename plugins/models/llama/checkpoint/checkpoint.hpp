// A Hugging Face checkpoint folder: model.safetensors, or model.safetensors.index.json
// {"metadata": {"total_size": N}, "weight_map": {tensor: shard file}} beside the shards it names.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "safetensors.hpp"

namespace steper::checkpoint {

inline constexpr std::string_view kSingleFileName = "model.safetensors";
inline constexpr std::string_view kIndexFileName = "model.safetensors.index.json";

class Checkpoint {
 public:
  // When both layouts are present model.safetensors wins, as in Hugging Face transformers.
  // Throws CheckpointError for a folder with neither, a damaged file, an index naming a shard
  // that does not exist or a tensor its shard lacks.
  static Checkpoint open(const std::filesystem::path& dir);

  const TensorView* find(std::string_view name) const;  // nullptr when absent
  // The tensor, or a CheckpointError naming it, its file, and the expected and found shapes.
  const TensorView& require(std::string_view name, const std::vector<std::int64_t>& expected_shape) const;
  std::vector<std::string> names() const;  // sorted; for a sharded folder, those its weight_map lists
  // The file that lists the tensors: model.safetensors or the index.
  const std::filesystem::path& source() const { return source_; }

 private:
  struct Entry {
    const SafetensorsFile* file;  // points into files_, whose elements never move once built
    const TensorView* view;
  };

  std::filesystem::path source_;
  std::vector<std::unique_ptr<SafetensorsFile>> files_;
  std::map<std::string, Entry, std::less<>> tensors_;
};

// Writes the tensors, in the order given, as model.safetensors when their bytes fit in
// max_shard_bytes, else as shards "model-00001-of-00003.safetensors" ... (filled greedily; a
// tensor larger than the limit gets a shard of its own) plus the index. The layout not written is
// removed, so the folder never holds a stale alternative. Metadata {"format": "pt"}.
void write_checkpoint(const std::filesystem::path& dir, const std::vector<TensorView>& tensors,
                      std::size_t max_shard_bytes);

}  // namespace steper::checkpoint
