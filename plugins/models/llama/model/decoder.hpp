// The Llama / Qwen2 decoder in LibTorch. Modules are registered under Hugging Face's names
// (model.layers.N.self_attn.q_proj.weight, ...), so named_parameters() are checkpoint keys.
//
// Shape letters: B sequences, T new tokens, S cached + new tokens, C hidden size,
// H query heads, G key/value heads, D head size, F SwiGLU width, V vocabulary.
#pragma once

#include <cstdint>
#include <vector>

#include <torch/torch.h>

#include "hf_config.hpp"

namespace steper::llama {

using checkpoint::DecoderConfig;

// Keys and values of earlier tokens, per layer: (B,G,capacity,D) each, filled up to `length`.
struct KvCache {
  std::vector<torch::Tensor> keys;
  std::vector<torch::Tensor> values;
  std::int64_t length = 0;
  std::int64_t capacity() const { return keys.empty() ? 0 : keys.front().size(2); }
  // Keeps only the sequences `rows` (B' indexes), e.g. after others finished.
  void select_rows(const torch::Tensor& rows);
};

// What one forward pass attends over.
struct AttentionInput {
  torch::Tensor positions;  // (B,T) int64 rotary positions of the new tokens
  torch::Tensor mask;       // (B,1,T,S) float additive: 0 where a key is visible, -inf where not
};

struct RmsNormImpl : torch::nn::Module {
  RmsNormImpl(std::int64_t size, double eps);
  torch::Tensor forward(const torch::Tensor& x);  // (...,C) -> same shape and dtype
  torch::Tensor weight;
  double eps;
};
TORCH_MODULE(RmsNorm);

// Rotary position embedding: precomputed inverse frequencies, Llama 3 scaling applied. As in
// Hugging Face, inv_freq stays float32 whatever dtype the model is cast to: to(dtype) only
// moves it, never rounds it to bf16 / fp16.
struct RotaryImpl : torch::nn::Module {
  explicit RotaryImpl(const DecoderConfig& config);
  // positions: (B,T) -> cos, sin: (B,1,T,D) in `dtype` (the activations'), from float32 angles.
  std::pair<torch::Tensor, torch::Tensor> tables(const torch::Tensor& positions,
                                                 torch::ScalarType dtype = torch::kFloat);
  using torch::nn::Module::to;
  void to(torch::Device device, torch::Dtype dtype, bool non_blocking = false) override;
  void to(torch::Dtype dtype, bool non_blocking = false) override;
  torch::Tensor inv_freq;  // (D/2) float32 buffer
};
TORCH_MODULE(Rotary);

// x: (B,heads,T,D); rotates pairs (i, i + D/2) as Hugging Face's rotate_half does.
torch::Tensor apply_rotary(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin);

struct AttentionImpl : torch::nn::Module {
  explicit AttentionImpl(const DecoderConfig& config);
  // x: (B,T,C); cos/sin: (B,1,T,D). With a cache, appends this step's keys and values to
  // layer `layer` of it and attends over all S of them. Returns (B,T,C).
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin,
                        const torch::Tensor& mask, KvCache* cache, std::size_t layer);
  std::int64_t heads, kv_heads, head_dim;
  torch::nn::Linear q_proj{nullptr}, k_proj{nullptr}, v_proj{nullptr}, o_proj{nullptr};
};
TORCH_MODULE(Attention);

struct MlpImpl : torch::nn::Module {
  explicit MlpImpl(const DecoderConfig& config);
  torch::Tensor forward(const torch::Tensor& x);  // (B,T,C) -> (B,T,C): down(silu(gate(x)) * up(x))
  torch::nn::Linear gate_proj{nullptr}, up_proj{nullptr}, down_proj{nullptr};
};
TORCH_MODULE(Mlp);

struct DecoderLayerImpl : torch::nn::Module {
  explicit DecoderLayerImpl(const DecoderConfig& config);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin,
                        const torch::Tensor& mask, KvCache* cache, std::size_t layer);
  RmsNorm input_layernorm{nullptr};
  Attention self_attn{nullptr};
  RmsNorm post_attention_layernorm{nullptr};
  Mlp mlp{nullptr};
};
TORCH_MODULE(DecoderLayer);

// The "model" part of a causal LM: embeddings, layers, final norm.
struct DecoderStackImpl : torch::nn::Module {
  explicit DecoderStackImpl(const DecoderConfig& config);
  torch::nn::Embedding embed_tokens{nullptr};
  torch::nn::ModuleList layers;
  RmsNorm norm{nullptr};
  Rotary rotary{nullptr};
};
TORCH_MODULE(DecoderStack);

class CausalLmImpl : public torch::nn::Module {
 public:
  // Weights drawn from N(0, init_std) as Hugging Face initialises them; norms at one.
  CausalLmImpl(const DecoderConfig& config, double init_std);

  // ids: (B,T) -> final hidden states (B,T,C). With a cache, continues the sequences in it.
  torch::Tensor hidden_states(const torch::Tensor& ids, const AttentionInput& input, KvCache* cache);
  torch::Tensor logits(const torch::Tensor& hidden);  // (...,C) -> (...,V)

  KvCache make_cache(std::int64_t batch, std::int64_t capacity, torch::ScalarType dtype) const;
  // Recompute each layer's activations in the backward pass instead of keeping them.
  void set_gradient_checkpointing(bool on) { gradient_checkpointing_ = on; }

  const DecoderConfig& config() const { return config_; }
  DecoderStack model{nullptr};
  torch::nn::Linear lm_head{nullptr};  // none when tied: the logits use model.embed_tokens.weight

 private:
  DecoderConfig config_;
  bool gradient_checkpointing_ = false;
};
TORCH_MODULE(CausalLm);

// Parameters of the decoder, counting a tied embedding once.
std::int64_t parameter_count(const DecoderConfig& config);
// Forward + backward FLOPs per token of a sequence of `tokens`: 6 x (parameters without the
// input embedding) plus attention's 12 x layers x H x D x tokens.
double training_flops_per_token(const DecoderConfig& config, std::int64_t tokens);

}  // namespace steper::llama
