// What the pretraining stage reads: single-hop reading in the cell's own framework format over
// worlds drawn afresh (the [pretrain.world] dataset with a new `seed` each time, so no fact
// repeats), answered by the [pretrain.teacher] through the cell's framework and retriever,
// mixed with copy episodes (a span of the world's words, then the same span again).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config.hpp"
#include "plugin_loader.hpp"
#include "pretrain_settings.hpp"
#include "run_log.hpp"
#include "steper/framework.hpp"
#include "steper/retriever.hpp"
#include "steper/types.hpp"

namespace steper {

// One drawn world: its single-hop questions that the teacher answered from retrieved evidence,
// with the retriever indexed over its corpus (a gate measures the student there).
struct ReadingWorld {
  std::uint64_t seed = 0;
  Corpus corpus;
  std::vector<std::string> words;  // of the corpus's texts, for copy episodes
  std::vector<Question> questions;
  std::vector<StepSample> samples;  // the framework's samples of the teacher's kept trajectories
  std::unique_ptr<Retriever> retriever;
};

// The single-hop questions of multi-hop questions: one per distinct hop with a supporting
// paragraph, asked alone ("In which country is Varenholm?"), at most `limit`.
std::vector<Question> single_hop_questions(const std::vector<Question>& questions, std::size_t limit);

// "Draw" worlds of one stream: "train" for the material, "gate" for the unseen test worlds.
enum class WorldStream { train, gate };

class ReadingWorlds {
 public:
  ReadingWorlds(const Cell& cell, const PluginRegistry& registry, const PretrainSettings& settings, RunLog& log,
                std::string scratch_dir);
  ~ReadingWorlds();
  // World `index` of a stream; the same world for the same pretraining seed.
  ReadingWorld draw(WorldStream stream, std::int64_t index) const;
  // Gate worlds, drawn until they hold `settings.gate_questions` questions.
  std::vector<ReadingWorld> gate_worlds() const;
  Framework& framework() const { return *framework_; }

 private:
  const Cell& cell_;
  const PluginRegistry& registry_;
  const PretrainSettings& settings_;
  RunLog& log_;
  std::string scratch_dir_;
  std::string world_toml_;  // [pretrain.world] as written, the seed set per draw
  std::unique_ptr<PluginContext> context_;
  std::unique_ptr<Framework> framework_;
};

// The batches of pretraining: step s (1-based) is a function of the seed and s alone, so a
// resumed run sees the same batches. Holds the current world of the train stream.
class PretrainStream {
 public:
  PretrainStream(const ReadingWorlds& worlds, const PretrainSettings& settings);
  std::vector<StepSample> batch(std::int64_t step);
  // The samples the tokenizer is learned from: the first `tokenizer_worlds` worlds' reading
  // and as many copy episodes.
  std::vector<StepSample> tokenizer_samples();
  double copy_share(std::int64_t step) const;
  int copy_words(std::int64_t step) const;

 private:
  const ReadingWorld& world_of(std::int64_t step);
  StepSample copy_episode(const ReadingWorld& world, int words, std::uint64_t draw) const;
  StepSample as_trained(StepSample sample) const;  // the whole text as the target for loss_on = "all"

  const ReadingWorlds& worlds_;
  const PretrainSettings& settings_;
  std::int64_t world_index_ = -1;
  ReadingWorld world_;
};

// Exact single-hop accuracy (percent) of `model` through the framework on the gate worlds: its
// answer must equal the gold answer after normalisation (EM). Logs what it wrote for the first
// questions.
double reading_accuracy(Framework& framework, Model& model, std::vector<ReadingWorld>& gate, RunLog& log);

}  // namespace steper
