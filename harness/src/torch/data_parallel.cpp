#include "torch/data_parallel.hpp"

#include <chrono>
#include <cstdlib>
#include <functional>
#include <map>

#include <fmt/format.h>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/torch.h>

namespace steper {
namespace {

// Gradients and parameters travel in flat buffers of at most this size: one collective per
// buffer instead of one per tensor, without a second copy of a large model.
constexpr std::int64_t kBucketBytes = 64 << 20;

bool is_loopback(const std::string& address) {
  return address == "localhost" || address.rfind("127.", 0) == 0 || address == "::1";
}

// The network device Gloo binds to: loopback for a group on this machine; GLOO_SOCKET_IFNAME
// (as in PyTorch) or the address this host's name resolves to for a group spanning machines.
std::shared_ptr<::gloo::transport::Device> gloo_device(const std::string& master_addr) {
  if (const char* interface = std::getenv("GLOO_SOCKET_IFNAME"); interface && *interface)
    return c10d::ProcessGroupGloo::createDeviceForInterface(interface);
  if (is_loopback(master_addr)) return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
  return c10d::ProcessGroupGloo::createDefaultDevice();
}

void check(const ProcessGroupSettings& s) {
  if (s.world_size < 1 || s.rank < 0 || s.rank >= s.world_size)
    throw std::invalid_argument(fmt::format("data-parallel group: rank {} of world size {}: expected a world size >= 1 "
                                            "and a rank from 0 to world size - 1",
                                            s.rank, s.world_size));
  if (s.master_port < 1 || s.master_port > 65535)
    throw std::invalid_argument(fmt::format("data-parallel group: master port {}: expected 1 to 65535", s.master_port));
  if (!(s.timeout_s > 0)) throw std::invalid_argument(fmt::format("data-parallel group: timeout {} s: expected > 0", s.timeout_s));
}

// Packs `tensors` (one dtype per buffer, in their order) into flat buffers, runs `collective` on
// each buffer and copies the result back. `wide` widens bf16 and fp16 to fp32 in the buffer.
void over_buckets(const std::vector<at::Tensor>& tensors, bool wide, const std::function<void(at::Tensor&)>& collective) {
  std::vector<c10::ScalarType> order;
  std::map<c10::ScalarType, std::vector<at::Tensor>> by_type;
  for (const auto& t : tensors) {
    if (t.is_sparse()) throw std::invalid_argument("data-parallel: sparse tensors are not supported");
    if (by_type.find(t.scalar_type()) == by_type.end()) order.push_back(t.scalar_type());
    by_type[t.scalar_type()].push_back(t);
  }
  for (const auto type : order) {
    const auto& group = by_type[type];
    const bool widen = wide && (type == at::kBFloat16 || type == at::kHalf);
    const auto buffer_type = widen ? at::kFloat : type;
    const std::int64_t limit = std::max<std::int64_t>(1, kBucketBytes / c10::elementSize(buffer_type));
    for (std::size_t begin = 0; begin < group.size();) {
      std::size_t end = begin;
      std::int64_t elements = 0;
      while (end < group.size() && (end == begin || elements + group[end].numel() <= limit)) elements += group[end++].numel();
      std::vector<at::Tensor> flat;
      for (std::size_t i = begin; i < end; ++i) flat.push_back(group[i].reshape({-1}).to(buffer_type));
      at::Tensor bucket = torch::cat(flat);
      collective(bucket);
      std::int64_t offset = 0;
      for (std::size_t i = begin; i < end; ++i) {
        at::Tensor target = group[i];
        target.copy_(bucket.narrow(/*dim=*/0, offset, target.numel()).view(target.sizes()));
        offset += target.numel();
      }
      begin = end;
    }
  }
}

}  // namespace

struct DataParallel::Group {
  c10::intrusive_ptr<c10d::TCPStore> store;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> gloo;
};

DataParallel::DataParallel(const ProcessGroupSettings& settings) : settings_(settings), group_(std::make_unique<Group>()) {
  check(settings_);
  const auto timeout = std::chrono::milliseconds(static_cast<std::int64_t>(settings_.timeout_s * 1000));
  try {
    c10d::TCPStoreOptions store_options;
    store_options.port = static_cast<std::uint16_t>(settings_.master_port);
    store_options.isServer = settings_.rank == 0;
    store_options.numWorkers = settings_.world_size;
    store_options.timeout = timeout;
    group_->store = c10::make_intrusive<c10d::TCPStore>(settings_.master_addr, store_options);
    auto options = c10d::ProcessGroupGloo::Options::create(timeout);
    options->devices = {gloo_device(settings_.master_addr)};
    group_->gloo = c10::make_intrusive<c10d::ProcessGroupGloo>(group_->store, settings_.rank, settings_.world_size, options);
  } catch (const std::exception& e) {
    throw std::runtime_error(fmt::format("data-parallel rendezvous: rank {} of {} could not meet the other ranks at "
                                         "{}:{} within {} s (is every rank started, and the port free?): {}",
                                         settings_.rank, settings_.world_size, settings_.master_addr,
                                         settings_.master_port, settings_.timeout_s, e.what()));
  }
}

DataParallel::~DataParallel() = default;

namespace {

// Waits for a collective; any failure names it. Gloo's own timeout (the same length) normally
// fires first with the more precise message; the wait's longer one only guards against a hang.
void finish(c10::intrusive_ptr<c10d::Work> work, const char* collective, const ProcessGroupSettings& s) {
  try {
    work->wait(std::chrono::milliseconds(static_cast<std::int64_t>(s.timeout_s * 1000 * 1.1) + 1000));
  } catch (const std::exception& e) {
    throw std::runtime_error(fmt::format("data-parallel {} failed on rank {} of {} (timeout {} s): another rank "
                                         "probably died or stopped calling collectives: {}",
                                         collective, s.rank, s.world_size, s.timeout_s, e.what()));
  }
}

}  // namespace

void DataParallel::broadcast_from_rank0(const std::vector<at::Tensor>& tensors) {
  torch::NoGradGuard no_grad;
  std::vector<at::Tensor> detached;
  for (const auto& t : tensors) detached.push_back(t.detach());
  over_buckets(detached, /*wide=*/false, [&](at::Tensor& bucket) {
    std::vector<at::Tensor> buffers = {bucket};
    c10d::BroadcastOptions options;
    options.rootRank = 0;
    finish(group_->gloo->broadcast(buffers, options), "broadcast of the parameters", settings_);
  });
}

void DataParallel::average_gradients(const std::vector<at::Tensor>& parameters) {
  torch::NoGradGuard no_grad;
  std::vector<at::Tensor> gradients;
  for (auto parameter : parameters) {
    if (!parameter.grad().defined()) parameter.mutable_grad() = torch::zeros_like(parameter);
    gradients.push_back(parameter.grad());
  }
  const double world = settings_.world_size;
  over_buckets(gradients, /*wide=*/true, [&](at::Tensor& bucket) {
    std::vector<at::Tensor> buffers = {bucket};
    finish(group_->gloo->allreduce(buffers), "all-reduce of the gradients", settings_);
    bucket.div_(world);
  });
}

double DataParallel::sum(double value) {
  std::vector<at::Tensor> buffers = {torch::full({1}, value, torch::kDouble)};
  finish(group_->gloo->allreduce(buffers), "all-reduce of a sum", settings_);
  return buffers.front().item<double>();
}

void DataParallel::barrier() { finish(group_->gloo->barrier(), "barrier", settings_); }

}  // namespace steper
