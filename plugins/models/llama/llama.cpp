// The `llama` model plugin: a Llama / Qwen2 decoder that generates and trains. It either
// loads a Hugging Face checkpoint folder (config.json, safetensors, tokenizer.json) or builds a
// small model from the sizes in its TOML table, with a tokenizer from a file or trained on
// the step-wise samples. Trained students are saved in the Hugging Face layout.
//
// Shape letters: B samples, T tokens, N target tokens of a batch, C hidden size, V vocabulary.
#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "batching.hpp"
#include "bpe_tokenizer.hpp"
#include "checkpoint_error.hpp"
#include "decoder.hpp"
#include "generation.hpp"
#include "hf_config.hpp"
#include "llama_settings.hpp"
#include "steper/bf16_autocast.hpp"
#include "steper/compute.hpp"
#include "steper/fingerprint.hpp"
#include "steper/model.hpp"
#include "steper/trainable.hpp"
#include "weights_io.hpp"

namespace {

namespace fs = std::filesystem;
using steper::llama::CausalLm;
using steper::llama::TokenIds;

constexpr std::size_t kMaxShardBytes = std::size_t{5} << 30;  // Hugging Face's default shard size

class Llama : public steper::Model, public steper::TrainableModel {
 public:
  Llama(steper::Settings& settings, steper::PluginContext& context)
      : context_(context), settings_(steper::llama::LlamaSettings::read(settings)), device_(context.device()) {
    if (!settings_.checkpoint.empty()) {
      try {
        config_ = steper::checkpoint::read_hf_config(fs::path(settings_.checkpoint) / "config.json");
      } catch (const steper::checkpoint::CheckpointError& e) {
        settings.fail("checkpoint", std::string("a Hugging Face model folder with a valid config.json (") + e.what() + ")");
      }
    } else if (!settings_.tokenizer.empty() && !fs::exists(settings_.tokenizer)) {
      settings.fail("tokenizer", "an existing tokenizer.json file");
    }
    generation_bf16_ = settings_.generation_precision == "bf16" ||
                       (settings_.generation_precision == "auto" && steper::cpu_has_bf16());
  }

  steper::TrainableModel* trainable() override { return this; }

  // The checkpoint folder's and tokenizer file's sizes and times: a student or teacher whose
  // files were replaced does not reuse what was cached with the old ones.
  std::string fingerprint() override {
    std::string text;
    if (!settings_.checkpoint.empty()) text += steper::file_fingerprint(settings_.checkpoint);
    if (!settings_.tokenizer.empty()) text += steper::file_fingerprint(settings_.tokenizer);
    return text;
  }

  int count_tokens(const std::string& text) override {
    return static_cast<int>(tokenizer().encode(text).size());
  }

  void fit_vocabulary(const std::vector<steper::StepSample>& samples) override {
    if (tokenizer_ || !settings_.checkpoint.empty() || !settings_.tokenizer.empty()) return;
    std::vector<std::string> texts;
    for (const auto& sample : samples) texts.push_back(sample.prompt + sample.target);
    context_.info("llama: training a " + std::to_string(settings_.tokenizer_vocab) + "-token BPE on " +
                  std::to_string(texts.size()) + " samples");
    tokenizer_ = std::make_unique<steper::bpe::Tokenizer>(
        steper::bpe::train_bpe(texts, steper::llama::tokenizer_training_options(settings_)));
  }

  steper::BatchLosses sample_losses(const std::vector<steper::StepSample>& batch) override {
    std::vector<steper::llama::PromptTarget> encoded;
    for (const auto& sample : batch) encoded.push_back({encode_prompt(sample.prompt), tokenizer().encode(sample.target)});
    auto& lm = model();
    const auto inputs = steper::llama::make_training_batch(encoded, config_->max_position_embeddings, device_);
    const auto hidden = lm->hidden_states(inputs.ids, inputs.attention, nullptr);  // (B,T,C)
    const auto predictors = hidden.reshape({-1, hidden.size(-1)}).index_select(0, inputs.predict_from);  // (N,C)
    const auto nll = torch::nn::functional::cross_entropy(
        lm->logits(predictors).to(torch::kFloat), inputs.labels,
        torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone));  // (N)
    const auto b = static_cast<std::int64_t>(batch.size());
    const auto options = nll.options();
    const auto sums = torch::zeros({b}, options).index_add(0, inputs.sample_of, nll);
    const auto counts = torch::zeros({b}, options).index_add(0, inputs.sample_of, torch::ones_like(nll));
    steper::BatchLosses losses;
    losses.per_sample = sums / counts.clamp_min(1);
    losses.target_tokens = inputs.labels.size(0);
    losses.total_tokens = inputs.total_tokens;
    return losses;
  }

  std::vector<steper::GenerationResult> generate(const std::vector<steper::GenerationRequest>& requests) override {
    auto& lm = model();
    const auto context_tokens = config_->max_position_embeddings;
    std::vector<TokenIds> prompts;
    std::vector<steper::llama::DecodeOptions> options;
    for (const auto& request : requests) {
      const int max_new = std::clamp<int>(request.max_new_tokens, 0, static_cast<int>(context_tokens) - 1);
      TokenIds prompt = encode_prompt(request.prompt);
      const auto room = static_cast<std::size_t>(context_tokens - max_new);
      if (prompt.size() > room) prompt.erase(prompt.begin(), prompt.end() - static_cast<std::ptrdiff_t>(room));
      prompts.push_back(std::move(prompt));
      options.push_back({max_new, request.stop, request.temperature, request.top_p, request.seed});
    }
    steper::llama::DecodeSetup setup;
    setup.eos_ids = config_->eos_token_ids;
    setup.detokenize = [this](const TokenIds& ids) { return tokenizer().decode(ids, /*skip_special=*/true); };
    const bool was_training = lm->is_training();
    lm->eval();
    std::vector<steper::llama::Decoded> decoded;
    {
      steper::Bf16Autocast autocast(generation_bf16_);
      const auto batch = static_cast<std::size_t>(settings_.generation_batch);
      for (std::size_t begin = 0; begin < prompts.size(); begin += batch) {
        const auto end = std::min(prompts.size(), begin + batch);
        const std::vector<TokenIds> some(prompts.begin() + begin, prompts.begin() + end);
        const std::vector<steper::llama::DecodeOptions> their(options.begin() + begin, options.begin() + end);
        for (auto& d : steper::llama::decode(lm, some, their, setup)) decoded.push_back(std::move(d));
      }
    }
    lm->train(was_training);
    std::vector<steper::GenerationResult> results;
    for (std::size_t i = 0; i < decoded.size(); ++i)
      results.push_back({decoded[i].text, static_cast<int>(prompts[i].size()),
                         static_cast<int>(decoded[i].ids.size()), decoded[i].finish_reason, /*error=*/{}});
    return results;
  }

  std::vector<at::Tensor> parameters() override { return model()->parameters(); }
  void set_training(bool training) override { model()->train(training); }
  std::int64_t parameter_count() override { return steper::llama::parameter_count(*config()); }

  void save(const std::string& dir) override {
    steper::checkpoint::write_hf_config(fs::path(dir) / "config.json", *config_);
    tokenizer().save(fs::path(dir) / "tokenizer.json");
    steper::llama::save_weights(model(), dir, model()->model->embed_tokens->weight.scalar_type(), kMaxShardBytes);
  }

  void load(const std::string& dir) override {
    const auto saved = steper::checkpoint::read_hf_config(fs::path(dir) / "config.json");
    tokenizer_ = std::make_unique<steper::bpe::Tokenizer>(
        steper::bpe::Tokenizer::load(fs::path(dir) / "tokenizer.json", tokenizer_config()));
    if (config_ && !steper::llama::same_architecture(*config_, saved))
      throw std::runtime_error("llama: the checkpoint in '" + dir + "' has another architecture than this model's settings");
    config_ = saved;
    lm_ = nullptr;
    build_model();
    steper::llama::load_weights(lm_, dir);
  }

 private:
  const steper::bpe::Tokenizer& tokenizer() {
    if (tokenizer_) return *tokenizer_;
    if (!settings_.checkpoint.empty()) {
      tokenizer_ = std::make_unique<steper::bpe::Tokenizer>(
          steper::bpe::Tokenizer::load(fs::path(settings_.checkpoint) / "tokenizer.json", tokenizer_config()));
    } else if (!settings_.tokenizer.empty()) {
      tokenizer_ = std::make_unique<steper::bpe::Tokenizer>(steper::bpe::Tokenizer::load(settings_.tokenizer));
    } else {
      throw std::runtime_error("llama: no tokenizer yet: set `tokenizer` to a tokenizer.json, or train the model "
                               "first so that a tokenizer of `tokenizer_vocab` tokens is learned from its samples");
    }
    return *tokenizer_;
  }

  // How transformers decodes with the checkpoint's tokenizer (its tokenizer_config.json, when
  // there is one). Students saved and loaded again keep it: save() writes no tokenizer_config.json.
  steper::bpe::TokenizerConfig tokenizer_config() const {
    if (settings_.checkpoint.empty()) return {};
    return steper::bpe::read_tokenizer_config(fs::path(settings_.checkpoint) / "tokenizer_config.json");
  }

  const std::optional<steper::checkpoint::DecoderConfig>& config() {
    if (!config_) config_ = steper::llama::new_decoder_config(settings_, tokenizer());
    return config_;
  }

  CausalLm& model() {
    if (!lm_) {
      config();
      if (!settings_.checkpoint.empty()) steper::llama::check_weight_shapes(*config_, settings_.checkpoint);
      build_model();
      if (!settings_.checkpoint.empty()) steper::llama::load_weights(lm_, settings_.checkpoint);
    }
    return lm_;
  }

  void build_model() {
    torch::manual_seed(context_.seed());  // global: must come right before the modules are made
    lm_ = CausalLm(*config_, settings_.init_std);
    lm_->to(device_, steper::llama::scalar_type_from_name(settings_.dtype));
    lm_->set_gradient_checkpointing(settings_.gradient_checkpointing);
  }

  TokenIds encode_prompt(const std::string& prompt) { return tokenizer().encode_with_special(prompt); }

  steper::PluginContext& context_;
  steper::llama::LlamaSettings settings_;
  torch::Device device_;
  bool generation_bf16_ = false;
  std::unique_ptr<steper::bpe::Tokenizer> tokenizer_;
  std::optional<steper::checkpoint::DecoderConfig> config_;
  CausalLm lm_{nullptr};
};

}  // namespace

STEPER_PLUGIN(Model, "llama", "1.0.0", Llama)
