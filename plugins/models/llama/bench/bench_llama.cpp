// Training and generation throughput of the llama decoder, beside the matrix-multiply peak of
// this machine measured in the same run (the anchor the training figures are a fraction of).
// small_train_step and shape_matmul_peak do the same for the small students of the
// experiments, on one thread, against torch::mm at the students' own shapes
// (docs/small_student_throughput.md); pretrain_step does it for a whole pretraining step, its
// samples of mixed lengths run in groups of similar length as the pretrainer runs them.
//
//   steper_llama_bench --benchmark_counters_tabular=true
//   steper_llama_bench --benchmark_filter='small_train_step|shape_matmul_peak' --benchmark_min_time=2
#include <ATen/autocast_mode.h>
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "batching.hpp"
#include "compute_controls.hpp"
#include "decoder.hpp"
#include "generation.hpp"
#include "steper/compute.hpp"
#include "steper/length_groups.hpp"

namespace {

using namespace steper::llama;

// ~25M parameters: 6 layers of width 512, SwiGLU 1536, tied 8192-token vocabulary.
DecoderConfig bench_config() {
  DecoderConfig c;
  c.model_type = "llama";
  c.vocab_size = 8192;
  c.hidden_size = 512;
  c.intermediate_size = 1536;
  c.num_hidden_layers = 6;
  c.num_attention_heads = 8;
  c.num_key_value_heads = 8;
  c.head_dim = 64;
  c.max_position_embeddings = 1024;
  c.tie_word_embeddings = true;
  c.torch_dtype = "float32";
  return c;
}

// bf16 autocast for its lifetime when asked to.
struct Autocast {
  explicit Autocast(bool on) {
    at::autocast::set_cpu_enabled(on);
    at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
  }
  ~Autocast() {
    at::autocast::clear_cache();
    at::autocast::set_cpu_enabled(false);
  }
};

// True (and the benchmark marked skipped) when it asks for bf16 on a CPU without bf16 units.
bool skipped_without_bf16(benchmark::State& state, bool bf16) {
  if (!bf16 || steper::cpu_has_bf16()) return false;
  state.SkipWithError("this CPU has no bf16 units");
  return true;
}

void matmul_peak(benchmark::State& state, torch::ScalarType dtype) {
  constexpr std::int64_t n = 1024;
  torch::manual_seed(0);
  const auto a = torch::randn({n, n}).to(dtype), b = torch::randn({n, n}).to(dtype);
  for (auto _ : state) benchmark::DoNotOptimize(torch::mm(a, b));
  state.counters["gflop_per_s"] =
      benchmark::Counter(2.0 * n * n * n * 1e-9 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK_CAPTURE(matmul_peak, fp32, torch::kFloat)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(matmul_peak, bf16, torch::kBFloat16)->Unit(benchmark::kMillisecond)->UseRealTime();

// One optimisation step (forward, backward, AdamW) on 4 sequences of 512 tokens.
void train_step(benchmark::State& state, bool bf16) {
  if (skipped_without_bf16(state, bf16)) return;
  constexpr std::int64_t batch = 4, tokens = 512;
  const auto config = bench_config();
  torch::manual_seed(0);
  CausalLm lm(config, 0.02);
  lm->train();
  torch::optim::AdamW optimizer(lm->parameters(), torch::optim::AdamWOptions(1e-4));
  std::vector<PromptTarget> samples;
  for (std::int64_t b = 0; b < batch; ++b) {
    PromptTarget s;
    for (std::int64_t t = 0; t < tokens; ++t) (t < tokens / 2 ? s.prompt : s.target).push_back(static_cast<std::int32_t>((b * 131 + t * 17) % config.vocab_size));
    samples.push_back(std::move(s));
  }
  const auto inputs = make_training_batch(samples, tokens, torch::kCPU);
  const auto step = [&] {
    Autocast autocast(bf16);
    optimizer.zero_grad();
    const auto hidden = lm->hidden_states(inputs.ids, inputs.attention, nullptr);
    const auto logits = lm->logits(hidden.reshape({-1, config.hidden_size})).to(torch::kFloat);
    const auto loss = torch::nn::functional::cross_entropy(logits, inputs.ids.reshape({-1}));  // every token scored
    loss.backward();
    optimizer.step();
  };
  step();  // untimed: the first step grows the heap and creates AdamW's state
  for (auto _ : state) step();
  const double step_tokens = static_cast<double>(batch * tokens);
  const double flops = training_flops_per_token(config, tokens) * step_tokens;
  const auto iterations = static_cast<double>(state.iterations());
  state.counters["tokens_per_s"] = benchmark::Counter(step_tokens * iterations, benchmark::Counter::kIsRate);
  state.counters["gflop_per_s"] = benchmark::Counter(flops * 1e-9 * iterations, benchmark::Counter::kIsRate);
  state.counters["parameters_M"] = static_cast<double>(parameter_count(config)) * 1e-6;
}
BENCHMARK_CAPTURE(train_step, fp32, false)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(5.0);
BENCHMARK_CAPTURE(train_step, bf16, true)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(5.0);

// The students of the experiments: 4 layers of width 128 or 256 (heads of 64, SwiGLU as
// llama_settings.cpp sizes it), tied 2048-token vocabulary, one LibTorch thread.
DecoderConfig student_config(std::int64_t hidden) {
  auto c = bench_config();
  c.vocab_size = 2048;
  c.hidden_size = hidden;
  c.intermediate_size = (8 * hidden / 3 + 63) / 64 * 64;
  c.num_hidden_layers = 4;
  c.num_attention_heads = c.num_key_value_heads = hidden / 64;
  return c;
}

// Arguments {hidden, sequences, tokens, bf16}: the students' widths at the token batches of a
// pretraining step (16 samples of ~60-250 tokens, grouped by length).
void student_shapes(benchmark::internal::Benchmark* b) {
  b->ArgNames({"hidden", "seqs", "tokens", "bf16"});
  for (const std::int64_t hidden : {128, 256})
    for (const auto& [sequences, tokens] : {std::pair<std::int64_t, std::int64_t>{16, 128}, {16, 256}, {32, 256}})
      for (const std::int64_t bf16 : {0, 1}) b->Args({hidden, sequences, tokens, bf16});
}

// One pretraining step of a student as the plugin runs it: make_training_batch, hidden states,
// logits of the scored positions (every token after the first), cross entropy, AdamW.
void small_train_step(benchmark::State& state) {
  const auto hidden = state.range(0), sequences = state.range(1), tokens = state.range(2);
  const bool bf16 = state.range(3) != 0;
  if (skipped_without_bf16(state, bf16)) return;
  const steper::ComputeThreadCap one_thread(1);
  const auto config = student_config(hidden);
  torch::manual_seed(0);
  CausalLm lm(config, 0.02);
  lm->train();
  torch::optim::AdamW optimizer(lm->parameters(), torch::optim::AdamWOptions(1e-3).weight_decay(0.01));
  std::vector<PromptTarget> samples;
  for (std::int64_t b = 0; b < sequences; ++b) {
    PromptTarget s;
    for (std::int64_t t = 0; t < tokens; ++t) (t < 1 ? s.prompt : s.target).push_back(static_cast<std::int32_t>((b * 131 + t * 17) % config.vocab_size));
    samples.push_back(std::move(s));
  }
  const auto step = [&] {
    optimizer.zero_grad();
    torch::Tensor loss;
    {
      Autocast autocast(bf16);
      const auto inputs = make_training_batch(samples, config.max_position_embeddings, torch::kCPU);
      const auto states = lm->hidden_states(inputs.ids, inputs.attention, nullptr);
      const auto predictors = states.reshape({-1, hidden}).index_select(0, inputs.predict_from);
      loss = torch::nn::functional::cross_entropy(lm->logits(predictors).to(torch::kFloat), inputs.labels);
    }
    loss.backward();
    optimizer.step();
  };
  step();  // untimed: the first step grows the heap and creates AdamW's state
  for (auto _ : state) step();
  const double step_tokens = static_cast<double>(sequences * tokens);
  const double flops = training_flops_per_token(config, tokens) * step_tokens;
  const auto iterations = static_cast<double>(state.iterations());
  state.counters["tokens_per_s"] = benchmark::Counter(step_tokens * iterations, benchmark::Counter::kIsRate);
  state.counters["gflop_per_s"] = benchmark::Counter(flops * 1e-9 * iterations, benchmark::Counter::kIsRate);
  state.counters["parameters_M"] = static_cast<double>(parameter_count(config)) * 1e-6;
}
BENCHMARK(small_train_step)->Apply(student_shapes)->Unit(benchmark::kMillisecond)->UseRealTime();

// The peak a student's step is a fraction of: torch::mm at the shapes it multiplies, rows =
// sequences x tokens, (rows x hidden) @ (hidden x columns) with columns = the SwiGLU width
// (arguments {hidden, rows, 0, bf16}) or the 2048-token vocabulary ({hidden, rows, 1, bf16}).
void student_matmuls(benchmark::internal::Benchmark* b) {
  b->ArgNames({"hidden", "rows", "vocab", "bf16"});
  for (const std::int64_t hidden : {128, 256})
    for (const std::int64_t rows : {16 * 128, 16 * 256, 32 * 256})
      for (const std::int64_t vocab : {0, 1})
        for (const std::int64_t bf16 : {0, 1}) b->Args({hidden, rows, vocab, bf16});
}

void shape_matmul_peak(benchmark::State& state) {
  const auto hidden = state.range(0), rows = state.range(1);
  const auto columns = state.range(2) != 0 ? std::int64_t{2048} : student_config(hidden).intermediate_size;
  const auto dtype = state.range(3) != 0 ? torch::kBFloat16 : torch::kFloat;
  const steper::ComputeThreadCap one_thread(1);
  torch::manual_seed(0);
  const auto a = torch::randn({rows, hidden}).to(dtype), b = torch::randn({hidden, columns}).to(dtype);
  for (auto _ : state) benchmark::DoNotOptimize(torch::mm(a, b));
  state.counters["gflop_per_s"] = benchmark::Counter(2.0 * static_cast<double>(rows * hidden * columns) * 1e-9 *
                                                         static_cast<double>(state.iterations()),
                                                     benchmark::Counter::kIsRate);
}
BENCHMARK(shape_matmul_peak)->Apply(student_matmuls)->Unit(benchmark::kMillisecond)->UseRealTime();

// A pretraining step's 16 samples as the width-128 reader's log sizes them (~40 and ~165
// tokens a sample): phase 0, the copy-only start, 16 copy episodes of 20-60 tokens scored on
// their second half; phase 1, the mix after it, 4 copy episodes of 40-80 tokens and 12 reading
// samples of 120-280 tokens scored on their last 16.
std::vector<PromptTarget> pretraining_samples(bool mix, std::int64_t vocab) {
  std::vector<PromptTarget> samples;
  std::uint32_t random = 12345;
  const auto draw = [&](std::int64_t low, std::int64_t high) {
    random = random * 1664525u + 1013904223u;
    return low + static_cast<std::int64_t>(random >> 8) % (high - low + 1);
  };
  for (int i = 0; i < 16; ++i) {
    const bool reading = mix && i >= 4;
    const auto length = reading ? draw(120, 280) : mix ? draw(40, 80) : draw(20, 60);
    const auto scored = reading ? 16 : length / 2;
    PromptTarget s;
    for (std::int64_t t = 0; t < length; ++t)
      (t < length - scored ? s.prompt : s.target).push_back(static_cast<std::int32_t>(draw(0, vocab - 1)));
    samples.push_back(std::move(s));
  }
  return samples;
}

// One pretraining step (forward and backward per group, AdamW) of a student on those samples.
// Arguments {hidden, phase, bf16}; gflop_per_s counts each sample's own work, not padding.
void pretrain_step(benchmark::State& state) {
  const auto hidden = state.range(0);
  const bool bf16 = state.range(2) != 0;
  if (skipped_without_bf16(state, bf16)) return;
  const steper::ComputeThreadCap one_thread(1);
  const auto config = student_config(hidden);
  const auto samples = pretraining_samples(state.range(1) != 0, config.vocab_size);
  const auto sample_length = [](const PromptTarget& s) { return s.prompt.size() + s.target.size(); };
  const auto groups = steper::groups_by_length(samples, sample_length);
  torch::manual_seed(0);
  CausalLm lm(config, 0.02);
  lm->train();
  torch::optim::AdamW optimizer(lm->parameters(), torch::optim::AdamWOptions(1e-3));
  std::int64_t padded_tokens = 0;
  const auto step = [&] {
    optimizer.zero_grad();
    padded_tokens = 0;
    for (const auto& group : groups) {
      Autocast autocast(bf16);
      const auto inputs = make_training_batch(group, config.max_position_embeddings, torch::kCPU);
      const auto states = lm->hidden_states(inputs.ids, inputs.attention, nullptr);
      const auto predictors = states.reshape({-1, hidden}).index_select(0, inputs.predict_from);
      const auto loss = torch::nn::functional::cross_entropy(lm->logits(predictors).to(torch::kFloat), inputs.labels);
      (loss * static_cast<double>(group.size()) / static_cast<double>(samples.size())).backward();
      padded_tokens += inputs.ids.numel();
    }
    optimizer.step();
  };
  step();  // untimed: the first step grows the heap and creates AdamW's state
  for (auto _ : state) step();
  double step_tokens = 0, flops = 0;
  for (const auto& s : samples) {
    const auto length = static_cast<std::int64_t>(sample_length(s));
    step_tokens += static_cast<double>(length);
    flops += training_flops_per_token(config, length) * static_cast<double>(length);
  }
  const auto iterations = static_cast<double>(state.iterations());
  state.counters["tokens_per_s"] = benchmark::Counter(step_tokens * iterations, benchmark::Counter::kIsRate);
  state.counters["gflop_per_s"] = benchmark::Counter(flops * 1e-9 * iterations, benchmark::Counter::kIsRate);
  state.counters["groups"] = static_cast<double>(groups.size());
  state.counters["padding"] = 1.0 - step_tokens / static_cast<double>(padded_tokens);
}
BENCHMARK(pretrain_step)
    ->ArgNames({"hidden", "phase", "bf16"})
    ->ArgsProduct({{128, 256}, {0, 1}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// 256 new tokens after 64-token prompts, greedy, bf16 autocast where the CPU supports it.
void generate(benchmark::State& state, bool use_cache) {
  const auto batch = state.range(0);
  const auto config = bench_config();
  torch::manual_seed(0);
  CausalLm lm(config, 0.02);
  lm->eval();
  std::vector<TokenIds> prompts(static_cast<std::size_t>(batch));
  for (std::size_t b = 0; b < prompts.size(); ++b)
    for (std::int32_t t = 0; t < 64; ++t) prompts[b].push_back(static_cast<std::int32_t>((b * 31 + t * 7) % 8192));
  std::vector<DecodeOptions> options(prompts.size());
  for (auto& o : options) o.max_new_tokens = 256;
  DecodeSetup setup;
  setup.use_cache = use_cache;
  setup.detokenize = [](const TokenIds&) { return std::string(); };
  std::int64_t generated = 0;
  for (auto _ : state) {
    Autocast autocast(steper::cpu_has_bf16());
    for (const auto& d : decode(lm, prompts, options, setup)) generated += static_cast<std::int64_t>(d.ids.size());
  }
  state.counters["tokens_per_s"] = benchmark::Counter(static_cast<double>(generated), benchmark::Counter::kIsRate);
}
BENCHMARK_CAPTURE(generate, kv_cache, true)->Arg(1)->Arg(8)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
BENCHMARK_CAPTURE(generate, recompute, false)->Arg(8)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

}  // namespace

int main(int argc, char** argv) {
  steper::reuse_freed_memory();  // as the steper executable does
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
