#include "tiny_training.hpp"

#include <fstream>
#include <stdexcept>

#include <torch/torch.h>

#include "torch/data_parallel.hpp"

namespace steper {
namespace {

constexpr std::int64_t kInputs = 8, kHidden = 16, kOutputs = 4;

struct TinyModelImpl : torch::nn::Module {
  TinyModelImpl()
      : hidden(register_module("hidden", torch::nn::Linear(kInputs, kHidden))),
        output(register_module("output", torch::nn::Linear(kHidden, kOutputs))),
        first_half_bias(register_parameter("first_half_bias", torch::zeros({kOutputs}))) {}

  // x: (B, kInputs) -> (B, kOutputs); the first `biased` rows also get first_half_bias.
  torch::Tensor forward(const torch::Tensor& x, std::int64_t biased) {
    torch::Tensor y = output(torch::tanh(hidden(x)));
    if (biased == 0) return y;
    return torch::cat({y.narrow(/*dim=*/0, 0, biased) + first_half_bias, y.narrow(/*dim=*/0, biased, x.size(0) - biased)});
  }

  torch::nn::Linear hidden, output;
  torch::Tensor first_half_bias;
};
TORCH_MODULE(TinyModel);

// Rows [first, first + count) of an endless deterministic data set: x (count, kInputs), y (count, kOutputs).
std::pair<torch::Tensor, torch::Tensor> rows(std::int64_t first, std::int64_t count) {
  const auto i = torch::arange(first, first + count, torch::kFloat).unsqueeze(1);
  const torch::Tensor x = torch::sin(0.37 * i + 1.3 * torch::arange(kInputs, torch::kFloat));
  const torch::Tensor y = torch::cos(0.11 * i - 0.7 * torch::arange(kOutputs, torch::kFloat));
  return {x, y};
}

}  // namespace

TinyResult train_tiny_model(const TinyTraining& run, DataParallel* group) {
  const int rank = group ? group->rank() : 0, world = group ? group->world_size() : 1;
  if (run.global_batch % (2 * world) != 0)
    throw std::invalid_argument("tiny training: the global batch must split into equal halves per rank");
  torch::manual_seed(1 + rank);
  TinyModel model;
  if (group) group->broadcast_from_rank0(model->parameters());

  std::unique_ptr<torch::optim::Optimizer> optimizer;
  if (run.optimizer == "sgd")
    optimizer = std::make_unique<torch::optim::SGD>(model->parameters(), torch::optim::SGDOptions(0.1).momentum(0.9));
  else if (run.optimizer == "adamw")
    optimizer = std::make_unique<torch::optim::AdamW>(model->parameters(), torch::optim::AdamWOptions(0.01).weight_decay(0.01));
  else
    throw std::invalid_argument("tiny training: optimizer '" + run.optimizer + "': expected sgd or adamw");

  const std::int64_t local_batch = run.global_batch / world, half = run.global_batch / 2;
  TinyResult result;
  for (int step = 0; step < run.steps; ++step) {
    const std::int64_t offset = rank * local_batch;  // this shard's first row within the global batch
    const auto [x, y] = rows(step * run.global_batch + offset, local_batch);
    const std::int64_t biased = std::clamp<std::int64_t>(half - offset, 0, local_batch);
    for (auto& p : model->parameters()) p.mutable_grad() = torch::Tensor();  // as zero_grad(set_to_none=True)
    const torch::Tensor loss = torch::mse_loss(model->forward(x, biased), y);
    loss.backward();
    result.last_loss = loss.item<double>();
    if (group) {
      group->average_gradients(model->parameters());
      result.last_loss = group->sum(result.last_loss) / world;
    }
    optimizer->step();
  }
  for (const auto& p : model->parameters()) {
    const torch::Tensor flat = p.detach().reshape({-1}).contiguous();
    result.weights.insert(result.weights.end(), flat.data_ptr<float>(), flat.data_ptr<float>() + flat.numel());
  }
  return result;
}

void write_weights(const std::string& path, const std::vector<float>& weights) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(weights.data()), static_cast<std::streamsize>(weights.size() * sizeof(float)));
  if (!out.flush()) throw std::runtime_error("cannot write weights to '" + path + "'");
}

std::vector<float> read_weights(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw std::runtime_error("cannot read weights from '" + path + "'");
  std::vector<float> weights(static_cast<std::size_t>(in.tellg()) / sizeof(float));
  in.seekg(0);
  if (!in.read(reinterpret_cast<char*>(weights.data()), static_cast<std::streamsize>(weights.size() * sizeof(float))))
    throw std::runtime_error("cannot read weights from '" + path + "'");
  return weights;
}

}  // namespace steper
