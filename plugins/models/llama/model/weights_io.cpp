#include "weights_io.hpp"

#include <stdexcept>
#include <string>
#include <vector>

#include "checkpoint_error.hpp"
#include "checkpoint.hpp"

namespace steper::llama {
namespace {

constexpr struct {
  torch::ScalarType type;
  const char* name;             // Hugging Face's torch_dtype
  checkpoint::DType file_type;  // safetensors dtype
} kWeightTypes[] = {
    {torch::kFloat, "float32", checkpoint::DType::F32},
    {torch::kBFloat16, "bfloat16", checkpoint::DType::BF16},
    {torch::kHalf, "float16", checkpoint::DType::F16},
};

torch::ScalarType scalar_type_of(const checkpoint::TensorView& view, const std::filesystem::path& dir) {
  for (const auto& entry : kWeightTypes)
    if (entry.file_type == view.dtype) return entry.type;
  throw checkpoint::CheckpointError("checkpoint '" + dir.string() + "': tensor '" + view.name + "' has dtype " +
                                    std::string(checkpoint::to_string(view.dtype)) +
                                    "; model weights must be F32, BF16 or F16");
}

checkpoint::DType file_type_of(torch::ScalarType type) {
  for (const auto& entry : kWeightTypes)
    if (entry.type == type) return entry.file_type;
  throw std::invalid_argument("save_weights: unsupported dtype " + std::string(c10::toString(type)));
}

}  // namespace

torch::ScalarType scalar_type_from_name(const std::string& name) {
  for (const auto& entry : kWeightTypes)
    if (name == entry.name) return entry.type;
  throw std::invalid_argument("unknown weight dtype \"" + name + "\"; expected \"float32\", \"bfloat16\" or \"float16\"");
}

std::string scalar_type_name(torch::ScalarType type) {
  for (const auto& entry : kWeightTypes)
    if (entry.type == type) return entry.name;
  throw std::invalid_argument("unsupported weight dtype " + std::string(c10::toString(type)));
}

void check_weight_shapes(const checkpoint::DecoderConfig& config, const std::filesystem::path& dir) {
  const auto weights = checkpoint::Checkpoint::open(dir);
  const std::string last = "model.layers." + std::to_string(config.num_hidden_layers - 1) + ".";
  weights.require("model.embed_tokens.weight", {config.vocab_size, config.hidden_size});
  weights.require("model.layers.0.self_attn.q_proj.weight",
                  {config.num_attention_heads * config.head_dim, config.hidden_size});
  weights.require(last + "mlp.down_proj.weight", {config.hidden_size, config.intermediate_size});
}

void load_weights(CausalLm& lm, const std::filesystem::path& dir) {
  const auto weights = checkpoint::Checkpoint::open(dir);
  torch::NoGradGuard no_grad;
  for (auto& item : lm->named_parameters()) {
    const std::string& name = item.key();
    auto& parameter = item.value();
    const std::vector<std::int64_t> shape(parameter.sizes().begin(), parameter.sizes().end());
    const auto& view = weights.require(name, shape);
    // from_blob wants a mutable pointer; the copy below only reads.
    auto* data = const_cast<std::byte*>(view.bytes.data);
    const auto source = torch::from_blob(data, parameter.sizes(), scalar_type_of(view, dir));
    if (!torch::isfinite(source).all().item<bool>())
      throw checkpoint::CheckpointError("checkpoint '" + dir.string() + "': tensor '" + name +
                                        "' holds NaN or infinite values");
    parameter.copy_(source);
  }
}

void save_weights(CausalLm& lm, const std::filesystem::path& dir, torch::ScalarType dtype,
                  std::size_t max_shard_bytes) {
  std::vector<torch::Tensor> keep_alive;
  std::vector<checkpoint::TensorView> views;
  for (auto& item : lm->named_parameters()) {
    const std::string& name = item.key();
    auto& parameter = item.value();
    auto tensor = parameter.detach().to(torch::kCPU, dtype).contiguous();
    checkpoint::TensorView view;
    view.name = name;
    view.dtype = file_type_of(dtype);
    view.shape.assign(tensor.sizes().begin(), tensor.sizes().end());
    view.bytes = {static_cast<const std::byte*>(tensor.data_ptr()), tensor.nbytes()};
    views.push_back(std::move(view));
    keep_alive.push_back(std::move(tensor));
  }
  checkpoint::write_checkpoint(dir, views, max_shard_bytes);
}

}  // namespace steper::llama
