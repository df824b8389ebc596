// A tiny trainable student: a byte-level GRU language model. Each byte is a token; only the
// last `context` bytes of a prompt are read, which keeps training and generation fast.
//
// Shape letters: B samples, T bytes, C embedding width, H hidden width, L layers, V = 256.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "steper/model.hpp"
#include "steper/trainable.hpp"

namespace {

using steper::GenerationRequest;
using steper::GenerationResult;

constexpr std::int64_t kVocab = 256;  // one token per byte value
constexpr const char* kCheckpointFile = "char_lm.pt";

struct CharNetImpl : torch::nn::Module {
  CharNetImpl(std::int64_t dim, std::int64_t hidden, std::int64_t layers)
      : embedding(register_module("embedding", torch::nn::Embedding(kVocab, dim))),
        gru(register_module("gru", torch::nn::GRU(torch::nn::GRUOptions(dim, hidden).num_layers(layers).batch_first(true)))),
        head(register_module("head", torch::nn::Linear(hidden, kVocab))) {}

  // bytes: (B,T) int64; state: (L,B,H) or undefined for a fresh start.
  // Returns the next-byte logits (B,T,V) and the state after the last byte (L,B,H).
  std::tuple<torch::Tensor, torch::Tensor> forward(const torch::Tensor& bytes, const torch::Tensor& state) {
    auto [outputs, next_state] = gru(embedding(bytes), state);  // outputs: (B,T,H)
    return {head(outputs), next_state};
  }

  torch::nn::Embedding embedding;
  torch::nn::GRU gru;
  torch::nn::Linear head;
};
TORCH_MODULE(CharNet);

std::string last_bytes(const std::string& text, std::size_t count) {
  return text.size() <= count ? text : text.substr(text.size() - count);
}

// Where the earliest stop string starts in `text`, or npos.
std::size_t stop_position(const std::string& text, const std::vector<std::string>& stops) {
  std::size_t earliest = std::string::npos;
  for (const auto& stop : stops)
    if (!stop.empty()) earliest = std::min(earliest, text.find(stop));
  return earliest;
}

class CharLm : public steper::Model, public steper::TrainableModel {
 public:
  CharLm(steper::Settings& settings, steper::PluginContext& context)
      : dim_(settings.get<int>("dim", 32)),
        hidden_(settings.get<int>("hidden", 64)),
        layers_(settings.get<int>("layers", 1)),
        context_bytes_(settings.get<int>("context", 96)),
        max_new_tokens_cap_(settings.get<int>("max_new_tokens_cap", 64)),
        device_(context.device()) {
    const std::pair<const char*, int> sizes[] = {{"dim", dim_},         {"hidden", hidden_},
                                                 {"layers", layers_},   {"context", context_bytes_},
                                                 {"max_new_tokens_cap", max_new_tokens_cap_}};
    for (const auto& [key, value] : sizes)
      if (value < 1) settings.fail(key, "a positive number");
    torch::manual_seed(context.seed());  // global: must come right before the modules are made
    net_ = CharNet(dim_, hidden_, layers_);
    net_->to(device_);
    // Generation may only produce printable ASCII and newlines, so outputs stay valid text.
    printable_ = torch::full({kVocab}, -std::numeric_limits<float>::infinity());
    printable_.slice(/*dim=*/0, ' ', '~' + 1).fill_(0);
    printable_['\n'] = 0;
  }

  steper::TrainableModel* trainable() override { return this; }
  int count_tokens(const std::string& text) override { return static_cast<int>(text.size()); }

  // Each sample is read as prompt tail + target; only predictions of target bytes are scored.
  steper::BatchLosses sample_losses(const std::vector<steper::StepSample>& batch) override {
    const auto batch_size = static_cast<std::int64_t>(batch.size());
    std::vector<std::string> sequences;
    std::vector<std::size_t> prompt_lengths;
    std::size_t longest = 2;
    for (const auto& sample : batch) {
      const std::string prompt = last_bytes(sample.prompt, static_cast<std::size_t>(context_bytes_));
      prompt_lengths.push_back(prompt.size());
      sequences.push_back(prompt + sample.target);
      longest = std::max(longest, sequences.back().size());
    }
    const auto steps = static_cast<std::int64_t>(longest - 1);
    auto inputs = torch::zeros({batch_size, steps}, torch::kLong);  // (B,T)
    auto labels = torch::zeros({batch_size, steps}, torch::kLong);  // (B,T)
    auto mask = torch::zeros({batch_size, steps});                  // (B,T) 1 where a target byte is predicted
    auto inputs_at = inputs.accessor<std::int64_t, 2>();
    auto labels_at = labels.accessor<std::int64_t, 2>();
    auto mask_at = mask.accessor<float, 2>();
    steper::BatchLosses losses;
    for (std::int64_t b = 0; b < batch_size; ++b) {
      const auto& sequence = sequences[b];
      for (std::size_t t = 0; t + 1 < sequence.size(); ++t) {
        inputs_at[b][t] = static_cast<unsigned char>(sequence[t]);
        labels_at[b][t] = static_cast<unsigned char>(sequence[t + 1]);
        mask_at[b][t] = t + 1 >= prompt_lengths[b] ? 1.0f : 0.0f;
      }
      losses.total_tokens += static_cast<std::int64_t>(sequence.size());
    }
    losses.target_tokens = static_cast<std::int64_t>(mask.sum().item<double>());
    inputs = inputs.to(device_);
    mask = mask.to(device_);
    const auto logits = std::get<0>(net_->forward(inputs, {}));  // (B,T,V)
    const auto nll = torch::nn::functional::cross_entropy(
                         logits.reshape({-1, kVocab}), labels.to(device_).reshape({-1}),
                         torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone))
                         .view({batch_size, steps});  // (B,T)
    losses.per_sample = (nll * mask).sum(/*dim=*/1) / mask.sum(/*dim=*/1).clamp_min(1);  // (B)
    return losses;
  }

  std::vector<GenerationResult> generate(const std::vector<GenerationRequest>& requests) override {
    torch::NoGradGuard no_grad;
    std::vector<GenerationResult> results;
    for (const auto& request : requests) results.push_back(generate_one(request));
    return results;
  }

  std::vector<at::Tensor> parameters() override { return net_->parameters(); }
  void set_training(bool training) override { net_->train(training); }

  std::int64_t parameter_count() override {
    std::int64_t count = 0;
    for (const auto& parameter : net_->parameters()) count += parameter.numel();
    return count;
  }

  void save(const std::string& dir) override {
    const std::string path = dir + "/" + kCheckpointFile;
    try {
      torch::save(net_, path);
    } catch (const std::exception& e) {
      throw std::runtime_error("char_lm: cannot write the checkpoint '" + path + "': " + e.what());
    }
  }

  void load(const std::string& dir) override {
    const std::string path = dir + "/" + kCheckpointFile;
    if (!std::filesystem::exists(path)) throw std::runtime_error("char_lm: no checkpoint '" + path + "'");
    try {
      torch::load(net_, path, device_);
    } catch (const std::exception& e) {
      throw std::runtime_error("char_lm: cannot read the checkpoint '" + path +
                               "' (were dim, hidden and layers the same when it was saved?): " + e.what());
    }
  }

 private:
  GenerationResult generate_one(const GenerationRequest& request) {
    GenerationResult result;
    std::string context = last_bytes(request.prompt, static_cast<std::size_t>(context_bytes_));
    if (context.empty()) context = "\n";  // the network needs one byte to start from
    result.prompt_tokens = static_cast<int>(context.size());
    result.finish_reason = "length";
    auto generator = at::detail::createCPUGenerator(request.seed);
    std::vector<std::int64_t> context_bytes;
    for (const char c : context) context_bytes.push_back(static_cast<unsigned char>(c));
    auto input = torch::tensor(context_bytes, torch::kLong).view({1, -1}).to(device_);  // (1,T)
    torch::Tensor state;                                                                 // (L,1,H)
    const int limit = std::min(request.max_new_tokens, max_new_tokens_cap_);
    for (int n = 0; n < limit; ++n) {
      auto [logits, next_state] = net_->forward(input, state);  // logits: (1,T,V)
      state = next_state;
      const auto last = logits[0][-1].to(torch::kCPU) + printable_;  // (V)
      const std::int64_t byte = next_byte(last, request, generator);
      result.text.push_back(static_cast<char>(byte));
      ++result.generated_tokens;
      const auto stop = stop_position(result.text, request.stop);
      if (stop != std::string::npos) {
        result.text.resize(stop);
        result.finish_reason = "stop";
        break;
      }
      input = torch::full({1, 1}, byte, torch::TensorOptions(torch::kLong).device(device_));
    }
    return result;
  }

  // Greedy at temperature 0; otherwise samples from the smallest set of bytes whose
  // probability reaches top_p. logits: (V).
  static std::int64_t next_byte(const torch::Tensor& logits, const GenerationRequest& request, at::Generator& generator) {
    if (request.temperature <= 0.0) return logits.argmax().item<std::int64_t>();
    const auto probabilities = torch::softmax(logits / request.temperature, /*dim=*/0);
    const auto [sorted, order] = probabilities.sort(/*dim=*/0, /*descending=*/true);
    auto keep = (sorted.cumsum(/*dim=*/0) - sorted) < request.top_p;  // (V)
    keep[0] = true;
    const auto kept = sorted * keep;
    const auto choice = torch::multinomial(kept, /*num_samples=*/1, /*replacement=*/false, generator);
    return order[choice.item<std::int64_t>()].item<std::int64_t>();
  }

  int dim_;                 // byte embedding width C
  int hidden_;              // GRU state width H
  int layers_;              // GRU layers L
  int context_bytes_;       // how many trailing prompt bytes the model reads
  int max_new_tokens_cap_;  // upper bound on any request's max_new_tokens
  torch::Device device_;
  CharNet net_{nullptr};
  torch::Tensor printable_;  // (V) 0 for bytes generation may produce, -inf for the rest
};

}  // namespace

STEPER_PLUGIN(Model, "char_lm", "1.0.0", CharLm)
