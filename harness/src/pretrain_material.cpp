#include "pretrain_material.hpp"

#include <algorithm>
#include <filesystem>
#include <random>
#include <set>
#include <stdexcept>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "config_tree.hpp"
#include "steper/dataset.hpp"
#include "steper/metrics.hpp"
#include "steper/model.hpp"
#include "trajectory_stats.hpp"

namespace steper {
namespace fs = std::filesystem;
namespace {

// A world is drawn, indexed and answered thousands of times: its plugins' info lines would
// bury the run log, so only their warnings pass.
class QuietContext : public PluginContext {
 public:
  QuietContext(RunLog& log, std::uint64_t seed, std::string device, std::string scratch)
      : log_(log), seed_(seed), device_(std::move(device)), scratch_(std::move(scratch)) {}
  void info(std::string_view) override {}
  void warn(std::string_view message) override { log_.warn(message); }
  std::unique_ptr<Progress> progress(std::string_view, std::size_t) override { return std::make_unique<Silent>(); }
  std::uint64_t seed() const override { return seed_; }
  std::string device() const override { return device_; }
  std::string scratch_dir() const override { return scratch_; }

 private:
  struct Silent : Progress {
    void advance(std::size_t) override {}
  };
  RunLog& log_;
  std::uint64_t seed_;
  std::string device_;
  std::string scratch_;
};

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// A seed for draw `index` of `stream`: streams never share a seed with each other or with the
// experiment's own worlds' small seeds (a TOML integer, so below 2^63).
std::uint64_t draw_seed(std::uint64_t pretrain_seed, int stream, std::int64_t index) {
  const std::uint64_t mixed = splitmix64(splitmix64(pretrain_seed) ^ splitmix64(0x5eed0000ULL + stream) ^
                                         splitmix64(static_cast<std::uint64_t>(index)));
  return (mixed & 0x7fffffffffffffffULL) | (std::uint64_t{1} << 40);
}

// [pretrain.world] with `seed` set, detached from the cell: its reads are not the cell's.
Settings seeded_world(const std::string& world_toml, std::uint64_t seed) {
  auto tree = std::make_shared<ConfigTree>();
  tree->file = "[pretrain.world] of a drawn world";
  toml::table world = toml::parse(world_toml);
  world.insert_or_assign("seed", static_cast<std::int64_t>(seed));
  tree->config.insert("world", std::move(world));
  return Settings(std::make_shared<Settings::Impl>(Settings::Impl{tree, "world"}));
}

std::vector<std::string> words_of(const Corpus& corpus) {
  std::vector<std::string> words;
  for (const Paragraph& p : corpus.paragraphs()) {
    std::size_t at = 0;
    while (at < p.text.size()) {
      const std::size_t end = std::min(p.text.find(' ', at), p.text.size());
      if (end > at) words.push_back(p.text.substr(at, end - at));
      at = end + 1;
    }
  }
  return words;
}

}  // namespace

std::vector<Question> single_hop_questions(const std::vector<Question>& questions, std::size_t limit) {
  std::vector<Question> single;
  std::set<std::string> asked;
  for (const Question& q : questions)
    for (std::size_t h = 0; h < q.decomposition.size() && single.size() < limit; ++h) {
      const DecompositionStep& hop = q.decomposition[h];
      if (hop.paragraph_id.empty() || hop.answer.empty() || !asked.insert(hop.question).second) continue;
      Question one;
      one.id = fmt::format("{}/hop{}", q.id, h + 1);
      one.text = hop.question;
      one.answers = {hop.answer};
      one.supporting_paragraph_ids = {hop.paragraph_id};
      one.decomposition = {hop};
      one.type = "single-hop";
      one.hops = 1;
      single.push_back(std::move(one));
    }
  return single;
}

ReadingWorlds::ReadingWorlds(const Cell& cell, const PluginRegistry& registry, const PretrainSettings& settings,
                             RunLog& log, std::string scratch_dir)
    : cell_(cell), registry_(registry), settings_(settings), log_(log), scratch_dir_(std::move(scratch_dir)),
      world_toml_(cell.settings("pretrain").table("world").to_toml()),
      context_(std::make_unique<QuietContext>(log, settings.seed, "cpu", scratch_dir_)) {
  fs::create_directories(scratch_dir_);
  Settings framework = cell.settings("framework");
  framework_ = registry.create<Framework>(framework.require<std::string>("name"), framework, *context_);
}

ReadingWorlds::~ReadingWorlds() = default;

ReadingWorld ReadingWorlds::draw(WorldStream stream, std::int64_t index) const {
  ReadingWorld world;
  world.seed = draw_seed(settings_.seed, static_cast<int>(stream), index);
  Settings world_settings = seeded_world(world_toml_, world.seed);
  auto dataset = registry_.create<Dataset>(world_settings.require<std::string>("name"), world_settings, *context_);
  world.corpus = Corpus(dataset->corpus());
  world.words = words_of(world.corpus);
  const std::vector<Question> questions =
      single_hop_questions(dataset->questions(Split::train), static_cast<std::size_t>(settings_.world_questions));

  Settings retriever = cell_.settings("retriever");
  world.retriever = registry_.create<Retriever>(retriever.require<std::string>("name"), retriever, *context_);
  // One folder per stream: a world's index replaces the last one's (a mapped index outlives
  // the removal of its files).
  const fs::path index_dir = fs::path(scratch_dir_) / (stream == WorldStream::train ? "train-index" : "gate-index-" + std::to_string(index));
  fs::remove_all(index_dir);
  fs::create_directories(index_dir);
  world.retriever->index_build(world.corpus, index_dir.string());
  world.retriever->index_load(world.corpus, index_dir.string());

  Settings teacher_settings = cell_.settings("pretrain").table("teacher");
  auto teacher = registry_.create<Model>(teacher_settings.require<std::string>("name"), teacher_settings, *context_);
  const std::vector<Trajectory> answered = framework_->run(questions, *teacher, *world.retriever, world.corpus);
  if (answered.size() != questions.size())
    throw std::runtime_error(fmt::format("pretraining: the framework returned {} trajectories for {} questions",
                                         answered.size(), questions.size()));
  for (std::size_t i = 0; i < questions.size(); ++i) {
    if (filter_trajectory(answered[i], questions[i], "em", false, world.corpus) != FilterOutcome::kept) continue;
    for (StepSample& sample : framework_->step_samples(questions[i], answered[i], world.corpus))
      world.samples.push_back(std::move(sample));
    world.questions.push_back(questions[i]);
  }
  return world;
}

std::vector<ReadingWorld> ReadingWorlds::gate_worlds() const {
  constexpr std::int64_t kMaxGateWorlds = 10000;
  std::vector<ReadingWorld> gate;
  std::size_t questions = 0;
  const auto wanted = static_cast<std::size_t>(settings_.gate_questions);
  for (std::int64_t index = 0; questions < wanted; ++index) {
    if (index == kMaxGateWorlds)
      throw std::runtime_error(fmt::format("pretraining: {} gate worlds gave only {} questions the teacher answers; "
                                           "check [pretrain.world] and [pretrain.teacher]", kMaxGateWorlds, questions));
    ReadingWorld world = draw(WorldStream::gate, index);
    if (world.questions.size() > wanted - questions) world.questions.resize(wanted - questions);
    questions += world.questions.size();
    if (!world.questions.empty()) gate.push_back(std::move(world));
  }
  return gate;
}

PretrainStream::PretrainStream(const ReadingWorlds& worlds, const PretrainSettings& settings)
    : worlds_(worlds), settings_(settings) {}

double PretrainStream::copy_share(std::int64_t step) const {
  if (step <= settings_.copy_first) return 1.0;
  const auto steps = std::max<std::int64_t>(settings_.optimisation.steps - settings_.copy_first - 1, 1);
  const double progress =
      std::clamp(static_cast<double>(step - settings_.copy_first - 1) / static_cast<double>(steps), 0.0, 1.0);
  return settings_.copy_share_start + (settings_.copy_share_end - settings_.copy_share_start) * progress;
}

int PretrainStream::copy_words(std::int64_t step) const {
  const auto half = std::max<std::int64_t>(settings_.optimisation.steps / 2, 1);
  const double progress = std::clamp(static_cast<double>(step - 1) / static_cast<double>(half), 0.0, 1.0);
  return settings_.copy_words_start +
         static_cast<int>((settings_.copy_words_end - settings_.copy_words_start) * progress + 0.5);
}

const ReadingWorld& PretrainStream::world_of(std::int64_t step) {
  const std::int64_t index = (step - 1) / settings_.world_every;
  if (index != world_index_) {
    world_ = worlds_.draw(WorldStream::train, index);
    world_index_ = index;
  }
  return world_;
}

// Both copies start with a space, so that the tokenizer cuts them alike.
StepSample PretrainStream::copy_episode(const ReadingWorld& world, int words, std::uint64_t draw) const {
  if (world.words.empty()) throw std::runtime_error("pretraining: a drawn world's corpus has no words to copy");
  std::mt19937_64 rng(draw);
  const int n = 1 + static_cast<int>(rng() % static_cast<std::uint64_t>(words));
  std::string span;
  for (int i = 0; i < n; ++i) span += " " + world.words[rng() % world.words.size()];
  StepSample sample;
  sample.question_id = "copy";
  sample.kind = StepKind::mid;  // single-hop reading has no mid step: the logs' mid column is copying
  sample.prompt = "Repeat:" + span + "\nAgain:";
  sample.target = span;
  return sample;
}

StepSample PretrainStream::as_trained(StepSample sample) const {
  if (settings_.loss_on == "all") {
    sample.target = sample.prompt + sample.target;
    sample.prompt.clear();
  }
  return sample;
}

std::vector<StepSample> PretrainStream::batch(std::int64_t step) {
  const ReadingWorld& world = world_of(step);
  std::mt19937_64 rng(draw_seed(settings_.seed, 100, step));
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::vector<StepSample> batch;
  for (int slot = 0; slot < settings_.optimisation.batch_size; ++slot) {
    const bool copy = world.samples.empty() || uniform(rng) < copy_share(step);
    batch.push_back(as_trained(copy ? copy_episode(world, copy_words(step), rng())
                                    : world.samples[rng() % world.samples.size()]));
  }
  return batch;
}

std::vector<StepSample> PretrainStream::tokenizer_samples() {
  std::vector<StepSample> samples;
  for (std::int64_t index = 0; index < settings_.tokenizer_worlds; ++index) {
    const ReadingWorld world = worlds_.draw(WorldStream::train, index);
    for (std::size_t i = 0; i < world.samples.size(); ++i) {
      samples.push_back(world.samples[i]);
      samples.push_back(copy_episode(world, settings_.copy_words_end, draw_seed(settings_.seed, 200, index) + i));
    }
  }
  return samples;
}

double reading_accuracy(Framework& framework, Model& model, std::vector<ReadingWorld>& gate, RunLog& log) {
  constexpr std::size_t kShown = 2;  // questions whose answers the log shows, to see what the reader writes
  double correct = 0;
  std::size_t total = 0;
  for (ReadingWorld& world : gate) {
    const std::vector<Trajectory> answers = framework.run(world.questions, model, *world.retriever, world.corpus);
    for (std::size_t i = 0; i < world.questions.size() && i < answers.size(); ++i) {
      correct += score_answer(answers[i].answer, world.questions[i].answers).em;
      if (total + i < kShown)
        log.info(fmt::format("gate: \"{}\" -> \"{}\" (gold \"{}\")", world.questions[i].text,
                             answers[i].steps.empty() ? "" : answers[i].steps.front().generated,
                             world.questions[i].answers.front()));
    }
    total += world.questions.size();
  }
  return total == 0 ? 0.0 : 100.0 * correct / static_cast<double>(total);
}

}  // namespace steper
