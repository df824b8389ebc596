// The `synthetic` dataset: a generated multi-hop world (people, cities, countries, companies,
// films, books, bands, universities), one paragraph per entity plus distractors about
// similarly named entities, and 2-4 hop and comparison questions with gold decompositions.
// Deterministic for its `seed` setting (not the cell's seed: the data stays fixed across runs).
//
// Settings (defaults beside the fields below):
//   entities = 2000         entities questions may use; or instead
//   paragraphs = 2400       the corpus size, distractors included
//   distractors = 0.2       distractor paragraphs per entity
//   train, dev, test        questions per split (1000, 200, 200)
//   seed = 1                the world and its questions
//   hops = [0.4, 0.35, 0.25]  weights of 2-, 3- and 4-hop chain questions
//   comparison = 0.15       share of comparison questions ("Who was born first, A or B?")
//   names = "standard"      or "pretraining": names that no standard world uses (for the
//                           worlds a student is pretrained on)
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "paragraphs.hpp"
#include "questions.hpp"
#include "steper/dataset.hpp"
#include "world.hpp"

namespace {

using namespace steper::synthetic;

constexpr std::int64_t kMinEntities = 100;
constexpr std::int64_t kMaxEntities = 10000000;
constexpr const char* kSplitKeys[] = {"train", "dev", "test"};

class SyntheticDataset : public steper::Dataset {
 public:
  SyntheticDataset(steper::Settings& settings, steper::PluginContext& context) : context_(context) {
    size_.distractor_share = settings.get<double>("distractors", 0.2);
    if (size_.distractor_share < 0 || size_.distractor_share > 1)
      settings.fail("distractors", "a share of distractor paragraphs from 0 to 1");
    if (settings.has("entities") && settings.has("paragraphs"))
      settings.fail("paragraphs", "either `entities` or `paragraphs`, not both");
    const std::int64_t entities =
        settings.has("paragraphs")
            ? static_cast<std::int64_t>(settings.require<std::int64_t>("paragraphs") / (1 + size_.distractor_share))
            : settings.get<std::int64_t>("entities", 2000);
    if (entities < kMinEntities || entities > kMaxEntities)
      settings.fail(settings.has("paragraphs") ? "paragraphs" : "entities",
                    "a world of " + std::to_string(kMinEntities) + " to " + std::to_string(kMaxEntities) + " entities");
    size_.entities = static_cast<std::size_t>(entities);
    const auto names = settings.get<std::string>("names", "standard");
    if (names != "standard" && names != "pretraining") settings.fail("names", "\"standard\" or \"pretraining\"");
    size_.names = names == "pretraining" ? NameSet::pretraining : NameSet::standard;
    counts_ = {settings.get<int>("train", 1000), settings.get<int>("dev", 200), settings.get<int>("test", 200)};
    for (int i = 0; i < 3; ++i)
      if (counts_[i] < 0 || counts_[i] > entities) settings.fail(kSplitKeys[i], "a question count from 0 to `entities`");
    seed_ = static_cast<std::uint64_t>(settings.get<std::int64_t>("seed", 1));
    const auto hops = settings.get<std::vector<double>>("hops", {0.4, 0.35, 0.25});
    if (hops.size() != 3 || std::any_of(hops.begin(), hops.end(), [](double w) { return w < 0; }))
      settings.fail("hops", "three non-negative weights of 2-, 3- and 4-hop questions, e.g. [0.4, 0.35, 0.25]");
    mix_.hop_weights = {hops[0], hops[1], hops[2]};
    mix_.comparison_share = settings.get<double>("comparison", 0.15);
    if (mix_.comparison_share < 0 || mix_.comparison_share > 1)
      settings.fail("comparison", "a share of comparison questions from 0 to 1");
    if (hops[0] + hops[1] + hops[2] <= 0 && mix_.comparison_share < 1)
      settings.fail("hops", "at least one positive weight, or `comparison = 1`");
  }

  std::vector<steper::Question> questions(steper::Split split) override {
    generate();
    return questions_[static_cast<int>(split)];
  }
  std::vector<steper::Paragraph> corpus() override {
    generate();
    return corpus_;
  }
  std::string fingerprint() override { return "synthetic-v1"; }

 private:
  void generate() {
    if (generated_) return;
    const World world = generate_world(size_, seed_);
    corpus_ = write_paragraphs(world, seed_);
    questions_ = compose_questions(world, counts_, mix_, seed_);
    generated_ = true;
    context_.info("synthetic: " + std::to_string(corpus_.size()) + " paragraphs, " +
                  std::to_string(questions_[0].size()) + "/" + std::to_string(questions_[1].size()) + "/" +
                  std::to_string(questions_[2].size()) + " train/dev/test questions");
  }

  steper::PluginContext& context_;
  WorldSize size_;
  std::array<int, 3> counts_{};  // questions per split, indexed by steper::Split
  QuestionMix mix_;
  std::uint64_t seed_ = 1;
  bool generated_ = false;
  std::vector<steper::Paragraph> corpus_;
  std::array<std::vector<steper::Question>, 3> questions_;
};

}  // namespace

STEPER_PLUGIN(Dataset, "synthetic", "1.0.0", SyntheticDataset)
