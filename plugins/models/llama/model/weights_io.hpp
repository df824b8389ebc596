// Moves a decoder's weights between LibTorch and a Hugging Face checkpoint folder
// (model.safetensors or sharded with model.safetensors.index.json).
#pragma once

#include <cstddef>
#include <filesystem>

#include <torch/torch.h>

#include "decoder.hpp"

namespace steper::llama {

// Copies every parameter from the checkpoint in `dir`, converting bf16/f16/f32 to the
// parameter's dtype. Throws naming the tensor that is missing or has another shape.
void load_weights(CausalLm& lm, const std::filesystem::path& dir);

// Checks, before the model is built, that the checkpoint in `dir` holds tensors of the sizes
// its config.json declares (the embedding, the first attention and the last MLP): a config.json
// with absurd sizes would otherwise allocate the whole model before any tensor is read.
void check_weight_shapes(const checkpoint::DecoderConfig& config, const std::filesystem::path& dir);

// Writes every parameter in `dtype` (tied embeddings once, as Hugging Face does), in shards of
// at most `max_shard_bytes`.
void save_weights(CausalLm& lm, const std::filesystem::path& dir, torch::ScalarType dtype,
                  std::size_t max_shard_bytes);

torch::ScalarType scalar_type_from_name(const std::string& name);  // "float32", "bfloat16", "float16"
std::string scalar_type_name(torch::ScalarType type);

}  // namespace steper::llama
