#include "llama_settings.hpp"

#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>

namespace steper::llama {
namespace {

// The special tokens a trained tokenizer gets, in Llama 3's spelling.
constexpr const char* kBeginOfText = "<|begin_of_text|>";
constexpr const char* kEndOfText = "<|end_of_text|>";
// Far above any student trained here; a larger value is a typo that would allocate without end.
constexpr std::int64_t kMaxSize = std::int64_t{1} << 20;
// Sizes each within kMaxSize can still multiply into a model no node holds: 2^36 parameters
// (69B, 275 GB in float32) is past any student trained from scratch.
constexpr double kMaxParameters = 68719476736.0;

// The parameter count these sizes make (embeddings, attention, MLP; norms left out), in double
// so that absurd sizes cannot overflow.
double parameter_estimate(const LlamaSettings& c) {
  const double hidden = static_cast<double>(c.hidden), head = hidden / static_cast<double>(c.heads);
  const double attention = 2 * hidden * hidden + 2 * hidden * head * static_cast<double>(c.kv_heads);
  const double mlp = 3 * hidden * static_cast<double>(c.intermediate);
  return static_cast<double>(c.layers) * (attention + mlp) + 2 * static_cast<double>(c.tokenizer_vocab) * hidden;
}

}  // namespace

LlamaSettings LlamaSettings::read(Settings& settings) {
  LlamaSettings c;
  c.checkpoint = settings.get_path("checkpoint", c.checkpoint);
  if (!c.checkpoint.empty())
    for (const char* key : {"tokenizer", "tokenizer_vocab", "family", "layers", "hidden", "heads", "kv_heads",
                            "intermediate", "context", "rope_theta", "rms_norm_eps", "tie_embeddings", "init_std"})
      if (settings.has(key)) settings.fail(key, "no value here: the checkpoint's config.json and tokenizer.json set it");
  c.tokenizer = settings.get_path("tokenizer", c.tokenizer);
  c.tokenizer_vocab = settings.get<std::int64_t>("tokenizer_vocab", c.tokenizer_vocab);
  c.family = settings.get<std::string>("family", c.family);
  c.layers = settings.get<std::int64_t>("layers", c.layers);
  c.hidden = settings.get<std::int64_t>("hidden", c.hidden);
  c.heads = settings.get<std::int64_t>("heads", c.heads);
  c.kv_heads = settings.get<std::int64_t>("kv_heads", c.kv_heads);
  c.intermediate = settings.get<std::int64_t>("intermediate", c.intermediate);
  c.context = settings.get<std::int64_t>("context", c.context);
  c.rope_theta = settings.get<double>("rope_theta", c.rope_theta);
  c.rms_norm_eps = settings.get<double>("rms_norm_eps", c.rms_norm_eps);
  c.tie_embeddings = settings.get<bool>("tie_embeddings", c.tie_embeddings);
  c.init_std = settings.get<double>("init_std", c.init_std);
  c.dtype = settings.get<std::string>("dtype", c.dtype);
  c.gradient_checkpointing = settings.get<bool>("gradient_checkpointing", c.gradient_checkpointing);
  c.generation_batch = settings.get<int>("generation_batch", c.generation_batch);
  c.generation_precision = settings.get<std::string>("generation_precision", c.generation_precision);

  if (c.kv_heads == 0) c.kv_heads = c.heads;
  if (c.intermediate == 0) c.intermediate = (8 * c.hidden / 3 + 63) / 64 * 64;
  const std::pair<const char*, std::int64_t> sizes[] = {
      {"layers", c.layers}, {"hidden", c.hidden},           {"heads", c.heads},
      {"kv_heads", c.kv_heads}, {"intermediate", c.intermediate}, {"context", c.context}};
  for (const auto& [key, value] : sizes)
    if (value < 1 || value > kMaxSize) settings.fail(key, "a positive number up to " + std::to_string(kMaxSize));
  if (c.generation_batch < 1) settings.fail("generation_batch", "at least 1 prompt");
  if (c.tokenizer_vocab < 512 || c.tokenizer_vocab > kMaxSize)
    settings.fail("tokenizer_vocab", "512 (256 byte tokens plus merges) to " + std::to_string(kMaxSize));
  if (c.family != "llama" && c.family != "qwen2") settings.fail("family", "\"llama\" or \"qwen2\"");
  if (c.hidden % c.heads != 0 || (c.hidden / c.heads) % 2 != 0)
    settings.fail("heads", "a divisor of hidden (" + std::to_string(c.hidden) + ") leaving an even head size");
  if (c.heads % c.kv_heads != 0) settings.fail("kv_heads", "a divisor of heads (" + std::to_string(c.heads) + ")");
  if (const double parameters = parameter_estimate(c); parameters > kMaxParameters) {
    char count[32];
    std::snprintf(count, sizeof count, "%.3g", parameters);
    settings.fail("layers", std::string("sizes that make at most 2^36 parameters (layers, hidden, intermediate and "
                                        "tokenizer_vocab together make about ") + count + ")");
  }
  if (c.context < 2) settings.fail("context", "at least 2 tokens");
  if (c.rope_theta <= 0) settings.fail("rope_theta", "a positive number");
  if (c.rms_norm_eps <= 0) settings.fail("rms_norm_eps", "a positive number");
  if (c.init_std <= 0) settings.fail("init_std", "a positive number");
  if (c.dtype != "float32" && c.dtype != "bfloat16" && c.dtype != "float16")
    settings.fail("dtype", "\"float32\", \"bfloat16\" or \"float16\"");
  if (c.generation_precision != "auto" && c.generation_precision != "fp32" && c.generation_precision != "bf16")
    settings.fail("generation_precision", "\"auto\", \"fp32\" or \"bf16\"");
  return c;
}

checkpoint::DecoderConfig new_decoder_config(const LlamaSettings& s, const bpe::Tokenizer& tokenizer) {
  checkpoint::DecoderConfig c;
  c.model_type = s.family;
  c.vocab_size = tokenizer.vocab_size();
  c.hidden_size = s.hidden;
  c.intermediate_size = s.intermediate;
  c.num_hidden_layers = s.layers;
  c.num_attention_heads = s.heads;
  c.num_key_value_heads = s.kv_heads;
  c.head_dim = s.hidden / s.heads;
  c.max_position_embeddings = s.context;
  c.rms_norm_eps = s.rms_norm_eps;
  c.rope_theta = s.rope_theta;
  c.tie_word_embeddings = s.tie_embeddings;
  c.attention_bias = s.family == "qwen2";
  c.torch_dtype = s.dtype;
  if (const auto bos = tokenizer.token_id(kBeginOfText)) c.bos_token_id = *bos;
  if (const auto eos = tokenizer.token_id(kEndOfText)) c.eos_token_ids = {*eos};
  return c;
}

bpe::BpeTrainOptions tokenizer_training_options(const LlamaSettings& settings) {
  bpe::BpeTrainOptions options;
  options.vocab_size = static_cast<int>(settings.tokenizer_vocab);
  options.special_tokens = {kBeginOfText, kEndOfText};
  options.bos_token = kBeginOfText;
  return options;
}

bool same_architecture(const checkpoint::DecoderConfig& a, const checkpoint::DecoderConfig& b) {
  return a.vocab_size == b.vocab_size && a.hidden_size == b.hidden_size &&
         a.intermediate_size == b.intermediate_size && a.num_hidden_layers == b.num_hidden_layers &&
         a.num_attention_heads == b.num_attention_heads && a.num_key_value_heads == b.num_key_value_heads &&
         a.head_dim == b.head_dim && a.tie_word_embeddings == b.tie_word_embeddings &&
         a.attention_bias == b.attention_bias;
}

}  // namespace steper::llama
