#include "decoder.hpp"

#include <cmath>
#include <limits>
#include <string>

#include <ATen/autocast_mode.h>

namespace steper::llama {
namespace {

constexpr double kPi = 3.14159265358979323846;

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

torch::nn::Linear linear(std::int64_t in, std::int64_t out, bool bias) {
  return torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(bias));
}

// Llama 3's rope_scaling: long wavelengths are divided by `factor`, short ones kept, and the
// band between is interpolated smoothly.
torch::Tensor llama3_scaled(const torch::Tensor& inv_freq, const checkpoint::RopeScaling& s) {
  const double low_freq_wavelen = static_cast<double>(s.original_max_position_embeddings) / s.low_freq_factor;
  const double high_freq_wavelen = static_cast<double>(s.original_max_position_embeddings) / s.high_freq_factor;
  const auto wavelen = 2 * kPi / inv_freq;
  const auto smooth = (static_cast<double>(s.original_max_position_embeddings) / wavelen - s.low_freq_factor) /
                      (s.high_freq_factor - s.low_freq_factor);
  const auto interpolated = (1 - smooth) * inv_freq / s.factor + smooth * inv_freq;
  auto scaled = torch::where(wavelen > low_freq_wavelen, inv_freq / s.factor, inv_freq);
  const auto medium = (wavelen >= high_freq_wavelen) & (wavelen <= low_freq_wavelen);
  return torch::where(medium, interpolated, scaled);
}

// Runs one decoder layer without keeping its activations; the backward pass runs it again.
struct CheckpointedLayer : torch::autograd::Function<CheckpointedLayer> {
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x,
                               const torch::Tensor& cos, const torch::Tensor& sin, const torch::Tensor& mask,
                               DecoderLayerImpl* layer) {
    ctx->save_for_backward({x, cos, sin, mask});
    ctx->saved_data["layer"] = reinterpret_cast<std::int64_t>(layer);
    ctx->saved_data["autocast"] = at::autocast::is_cpu_enabled();
    return layer->forward(x, cos, sin, mask, nullptr, 0);
  }

  static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx,
                                               torch::autograd::tensor_list grads) {
    const auto saved = ctx->get_saved_variables();
    auto* layer = reinterpret_cast<DecoderLayerImpl*>(ctx->saved_data["layer"].toInt());
    const bool autocast_before = at::autocast::is_cpu_enabled();
    at::autocast::set_cpu_enabled(ctx->saved_data["autocast"].toBool());
    auto x = saved[0].detach().requires_grad_(true);
    torch::Tensor out;
    {
      torch::AutoGradMode grad_mode(true);
      out = layer->forward(x, saved[1], saved[2], saved[3], nullptr, 0);
    }
    at::autocast::set_cpu_enabled(autocast_before);
    torch::autograd::backward({out}, {grads[0]});
    return {x.grad(), torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

}  // namespace

void KvCache::select_rows(const torch::Tensor& rows) {
  for (auto& k : keys) k = k.index_select(/*dim=*/0, rows);
  for (auto& v : values) v = v.index_select(/*dim=*/0, rows);
}

RmsNormImpl::RmsNormImpl(std::int64_t size, double eps_)
    : weight(register_parameter("weight", torch::ones({size}))), eps(eps_) {}

torch::Tensor RmsNormImpl::forward(const torch::Tensor& x) {
  const auto x32 = x.to(at::promote_types(x.scalar_type(), torch::kFloat));
  const auto normed = x32 * torch::rsqrt(x32.pow(2).mean(/*dim=*/-1, /*keepdim=*/true) + eps);
  return weight * normed.to(x.scalar_type());
}

RotaryImpl::RotaryImpl(const DecoderConfig& config) {
  const auto half = torch::arange(0, config.head_dim, 2, torch::kDouble) / static_cast<double>(config.head_dim);
  auto frequencies = 1.0 / torch::pow(config.rope_theta, half);  // (D/2)
  if (config.rope_scaling) frequencies = llama3_scaled(frequencies, *config.rope_scaling);
  inv_freq = register_buffer("inv_freq", frequencies.to(torch::kFloat));
}

std::pair<torch::Tensor, torch::Tensor> RotaryImpl::tables(const torch::Tensor& positions, torch::ScalarType dtype) {
  const auto angles = positions.to(torch::kFloat).unsqueeze(-1) * inv_freq;  // (B,T,D/2)
  const auto both = torch::cat({angles, angles}, /*dim=*/-1).unsqueeze(1);   // (B,1,T,D)
  return {both.cos().to(dtype), both.sin().to(dtype)};
}

void RotaryImpl::to(torch::Device device, torch::Dtype /*dtype*/, bool non_blocking) {
  torch::nn::Module::to(device, non_blocking);
}

void RotaryImpl::to(torch::Dtype /*dtype*/, bool /*non_blocking*/) {}

torch::Tensor apply_rotary(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin) {
  const auto half = x.size(-1) / 2;
  const auto rotated = torch::cat({-x.slice(-1, half), x.slice(-1, 0, half)}, /*dim=*/-1);
  return (x * cos + rotated * sin).to(x.scalar_type());
}

AttentionImpl::AttentionImpl(const DecoderConfig& config)
    : heads(config.num_attention_heads), kv_heads(config.num_key_value_heads), head_dim(config.head_dim) {
  const auto c = config.hidden_size;
  q_proj = register_module("q_proj", linear(c, heads * head_dim, config.attention_bias));
  k_proj = register_module("k_proj", linear(c, kv_heads * head_dim, config.attention_bias));
  v_proj = register_module("v_proj", linear(c, kv_heads * head_dim, config.attention_bias));
  o_proj = register_module("o_proj", linear(heads * head_dim, c, false));
}

torch::Tensor AttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin,
                                     const torch::Tensor& mask, KvCache* cache, std::size_t layer) {
  const auto b = x.size(0), t = x.size(1);
  auto q = q_proj(x).view({b, t, heads, head_dim}).transpose(1, 2);     // (B,H,T,D)
  auto k = k_proj(x).view({b, t, kv_heads, head_dim}).transpose(1, 2);  // (B,G,T,D)
  auto v = v_proj(x).view({b, t, kv_heads, head_dim}).transpose(1, 2);  // (B,G,T,D)
  q = apply_rotary(q, cos, sin);
  k = apply_rotary(k, cos, sin);
  if (cache) {
    const auto end = cache->length + t;
    auto& keys = cache->keys[layer];
    auto& values = cache->values[layer];
    keys.slice(/*dim=*/2, cache->length, end).copy_(k);
    values.slice(/*dim=*/2, cache->length, end).copy_(v);
    k = keys.slice(/*dim=*/2, 0, end);
    v = values.slice(/*dim=*/2, 0, end);
  }
  const auto s = k.size(2);
  const auto group = heads / kv_heads;
  // Each key/value head serves `group` query heads: view the queries as (B,G,group*T,D).
  // Scaling the queries costs D/S of scaling the scores.
  const auto grouped_q = (q * (1.0 / std::sqrt(static_cast<double>(head_dim)))).reshape({b, kv_heads, group * t, head_dim});
  const auto scores = torch::matmul(grouped_q, k.transpose(-2, -1));  // (B,G,group*T,S)
  // Adding the fp32 mask promotes bf16 scores to fp32 in the same pass: softmax in fp32 or better.
  const auto masked = scores.view({b, heads, t, s}) + mask;
  const auto probabilities = torch::softmax(masked, /*dim=*/-1).to(v.scalar_type());  // (B,H,T,S)
  const auto out = torch::matmul(probabilities.view({b, kv_heads, group * t, s}), v);    // (B,G,group*T,D)
  return o_proj(out.view({b, heads, t, head_dim}).transpose(1, 2).reshape({b, t, heads * head_dim}));
}

MlpImpl::MlpImpl(const DecoderConfig& config) {
  gate_proj = register_module("gate_proj", linear(config.hidden_size, config.intermediate_size, false));
  up_proj = register_module("up_proj", linear(config.hidden_size, config.intermediate_size, false));
  down_proj = register_module("down_proj", linear(config.intermediate_size, config.hidden_size, false));
}

torch::Tensor MlpImpl::forward(const torch::Tensor& x) {
  // SiLU of bf16 gates (autocast) in fp32, rounded to bf16 once as the bf16 kernel does: LibTorch
  // 1.13's bf16 silu_backward is a scalar loop ~8x slower than the fp32 one (~10% of a small
  // student's bf16 step). For fp32 gates both casts are no-ops: the same arithmetic.
  const auto gate = gate_proj(x);
  const auto activated = torch::silu(gate.to(at::promote_types(gate.scalar_type(), torch::kFloat))).to(gate.scalar_type());
  return down_proj(activated * up_proj(x));
}

DecoderLayerImpl::DecoderLayerImpl(const DecoderConfig& config)
    : input_layernorm(register_module("input_layernorm", RmsNorm(config.hidden_size, config.rms_norm_eps))),
      self_attn(register_module("self_attn", Attention(config))),
      post_attention_layernorm(
          register_module("post_attention_layernorm", RmsNorm(config.hidden_size, config.rms_norm_eps))),
      mlp(register_module("mlp", Mlp(config))) {}

torch::Tensor DecoderLayerImpl::forward(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin,
                                        const torch::Tensor& mask, KvCache* cache, std::size_t layer) {
  const auto h = x + self_attn(input_layernorm(x), cos, sin, mask, cache, layer);
  return h + mlp(post_attention_layernorm(h));
}

DecoderStackImpl::DecoderStackImpl(const DecoderConfig& config)
    : embed_tokens(register_module("embed_tokens", torch::nn::Embedding(config.vocab_size, config.hidden_size))),
      layers(register_module("layers", torch::nn::ModuleList())),
      norm(register_module("norm", RmsNorm(config.hidden_size, config.rms_norm_eps))),
      rotary(register_module("rotary_emb", Rotary(config))) {
  for (std::int64_t i = 0; i < config.num_hidden_layers; ++i) layers->push_back(DecoderLayer(config));
}

CausalLmImpl::CausalLmImpl(const DecoderConfig& config, double init_std) : config_(config) {
  model = register_module("model", DecoderStack(config));
  if (!config.tie_word_embeddings)
    lm_head = register_module("lm_head", linear(config.hidden_size, config.vocab_size, false));
  torch::NoGradGuard no_grad;
  for (auto& item : named_parameters()) {
    const std::string& name = item.key();
    auto& parameter = item.value();
    if (ends_with(name, "norm.weight"))
      parameter.fill_(1.0);
    else if (ends_with(name, ".bias"))
      parameter.zero_();
    else
      parameter.normal_(0.0, init_std);
  }
}

torch::Tensor CausalLmImpl::hidden_states(const torch::Tensor& ids, const AttentionInput& input, KvCache* cache) {
  auto x = model->embed_tokens(ids);  // (B,T,C)
  const auto [cos, sin] = model->rotary->tables(input.positions, x.scalar_type());
  const bool checkpointed = gradient_checkpointing_ && !cache && torch::GradMode::is_enabled() && is_training();
  for (std::size_t i = 0; i < model->layers->size(); ++i) {
    auto* layer = model->layers[i]->as<DecoderLayerImpl>();
    x = checkpointed ? CheckpointedLayer::apply(x, cos, sin, input.mask, layer)
                     : layer->forward(x, cos, sin, input.mask, cache, i);
  }
  if (cache) cache->length += ids.size(1);
  return model->norm(x);
}

torch::Tensor CausalLmImpl::logits(const torch::Tensor& hidden) {
  return torch::nn::functional::linear(hidden, lm_head ? lm_head->weight : model->embed_tokens->weight);
}

KvCache CausalLmImpl::make_cache(std::int64_t batch, std::int64_t capacity, torch::ScalarType dtype) const {
  KvCache cache;
  const auto options = torch::TensorOptions().dtype(dtype).device(model->embed_tokens->weight.device());
  for (std::int64_t i = 0; i < config_.num_hidden_layers; ++i) {
    cache.keys.push_back(torch::zeros({batch, config_.num_key_value_heads, capacity, config_.head_dim}, options));
    cache.values.push_back(torch::zeros({batch, config_.num_key_value_heads, capacity, config_.head_dim}, options));
  }
  return cache;
}

std::int64_t parameter_count(const DecoderConfig& c) {
  const auto attention = c.hidden_size * c.head_dim * (2 * c.num_attention_heads + 2 * c.num_key_value_heads) +
                         (c.attention_bias ? c.head_dim * (c.num_attention_heads + 2 * c.num_key_value_heads) : 0);
  const auto layer = attention + 3 * c.hidden_size * c.intermediate_size + 2 * c.hidden_size;
  const auto embeddings = c.vocab_size * c.hidden_size * (c.tie_word_embeddings ? 1 : 2);
  return c.num_hidden_layers * layer + embeddings + c.hidden_size;
}

double training_flops_per_token(const DecoderConfig& c, std::int64_t tokens) {
  const auto without_input_embedding =
      parameter_count(c) - (c.tie_word_embeddings ? 0 : c.vocab_size * c.hidden_size);
  return 6.0 * static_cast<double>(without_input_embedding) +
         12.0 * static_cast<double>(c.num_hidden_layers * c.num_attention_heads * c.head_dim * tokens);
}

}  // namespace steper::llama
