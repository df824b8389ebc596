#include "generation.hpp"

#include <algorithm>
#include <stdexcept>

#include <ATen/CPUGeneratorImpl.h>

namespace steper::llama {
namespace {

// Greedy at temperature 0; otherwise samples from the smallest set of tokens whose
// probability reaches top_p. logits: (V) float.
std::int64_t next_token(const torch::Tensor& logits, const DecodeOptions& options, at::Generator& generator) {
  if (options.temperature <= 0.0) return logits.argmax().item<std::int64_t>();
  const auto probabilities = torch::softmax(logits / options.temperature, /*dim=*/0);
  const auto [sorted, order] = probabilities.sort(/*dim=*/0, /*descending=*/true);
  auto keep = (sorted.cumsum(/*dim=*/0) - sorted) < options.top_p;
  keep[0] = true;
  const auto choice = torch::multinomial(sorted * keep, /*num_samples=*/1, /*replacement=*/false, generator);
  return order[choice.item<std::int64_t>()].item<std::int64_t>();
}

// One sequence of the batch while it runs.
struct Row {
  std::size_t request;  // index into prompts / options
  at::Generator generator;
  Decoded out;
};

}  // namespace

std::size_t earliest_stop(const std::string& text, const std::vector<std::string>& stops) {
  std::size_t earliest = std::string::npos;
  for (const auto& stop : stops)
    if (!stop.empty()) earliest = std::min(earliest, text.find(stop));
  return earliest;
}

std::vector<Decoded> decode(CausalLm& lm, const std::vector<TokenIds>& prompts,
                            const std::vector<DecodeOptions>& options, const DecodeSetup& setup) {
  if (prompts.size() != options.size()) throw std::invalid_argument("decode: one options entry per prompt");
  torch::NoGradGuard no_grad;
  std::vector<Decoded> results(prompts.size());
  if (prompts.empty()) return results;
  const auto device = lm->model->embed_tokens->weight.device();
  int most_new = 0;
  std::vector<Row> rows;
  std::vector<TokenIds> batch_prompts;
  for (std::size_t i = 0; i < prompts.size(); ++i) {
    if (prompts[i].empty()) throw std::invalid_argument("decode: prompt " + std::to_string(i) + " has no tokens");
    if (options[i].max_new_tokens <= 0) {
      results[i].finish_reason = "length";
      continue;
    }
    most_new = std::max(most_new, options[i].max_new_tokens);
    rows.push_back({i, at::detail::createCPUGenerator(options[i].seed), {}});
    batch_prompts.push_back(prompts[i]);
  }
  if (rows.empty()) return results;
  GenerationMask attention(batch_prompts, device);
  KvCache cache;
  torch::Tensor sequence = attention.prompt_ids();  // (B,S) every token so far, for the no-cache path
  torch::Tensor hidden;                              // (B,T,C)
  if (setup.use_cache) {
    const auto dtype = lm->model->embed_tokens->weight.scalar_type();
    cache = lm->make_cache(static_cast<std::int64_t>(rows.size()), sequence.size(1) + most_new, dtype);
    hidden = lm->hidden_states(sequence, attention.prompt_input(), &cache);
  } else {
    hidden = lm->hidden_states(sequence, attention.prompt_input(), nullptr);
  }
  while (true) {
    const auto logits = lm->logits(hidden.select(/*dim=*/1, -1)).to(torch::kFloat).cpu();  // (B,V)
    std::vector<std::int64_t> tokens, still_running;
    for (std::size_t r = 0; r < rows.size(); ++r) {
      Row& row = rows[r];
      const DecodeOptions& request = options[row.request];
      const auto token = next_token(logits[static_cast<std::int64_t>(r)], request, row.generator);
      row.out.ids.push_back(static_cast<std::int32_t>(token));
      const bool eos = std::find(setup.eos_ids.begin(), setup.eos_ids.end(), token) != setup.eos_ids.end();
      TokenIds text_ids = row.out.ids;
      if (eos) text_ids.pop_back();
      row.out.text = setup.detokenize(text_ids);
      if (const auto stop = earliest_stop(row.out.text, request.stop); stop != std::string::npos) {
        row.out.text.resize(stop);
        row.out.finish_reason = "stop";
      } else if (eos) {
        row.out.finish_reason = "eos";
      } else if (static_cast<int>(row.out.ids.size()) >= request.max_new_tokens) {
        row.out.finish_reason = "length";
      } else {
        still_running.push_back(static_cast<std::int64_t>(r));
      }
      tokens.push_back(token);
    }
    auto next = torch::tensor(tokens, torch::kLong).unsqueeze(1).to(device);  // (B,1)
    if (still_running.size() != rows.size()) {
      std::vector<Row> kept;
      for (auto& row : rows)
        if (!row.out.finish_reason.empty()) results[row.request] = std::move(row.out);
      for (const auto r : still_running) kept.push_back(std::move(rows[static_cast<std::size_t>(r)]));
      rows = std::move(kept);
      if (rows.empty()) break;
      const auto keep = torch::tensor(still_running, torch::kLong).to(device);
      next = next.index_select(0, keep);
      attention.select_rows(keep);
      sequence = sequence.index_select(0, keep);
      if (setup.use_cache) cache.select_rows(keep);
    }
    const auto input = attention.next_input();
    sequence = torch::cat({sequence, next}, /*dim=*/1);
    hidden = setup.use_cache ? lm->hidden_states(next, input, &cache)
                             : lm->hidden_states(sequence, attention.full_input(), nullptr);
  }
  return results;
}

}  // namespace steper::llama
