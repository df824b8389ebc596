// Teacher-trajectory generation on the synthetic world: ircot and selfask with the oracle,
// loaded as plugins, over a retriever whose hits are computed once (so the figures are the
// frameworks' and the oracle's own cost), plus prompt rendering alone.
//   steper_oracle_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <map>

#include "framework_test_support.hpp"
#include "prompt.hpp"
#include "steper/dataset.hpp"

namespace steper {
namespace {

using testing::OverlapRetriever;
using testing::PluginMaker;

// Answers each query from a cache filled by a word-overlap search the first time it is asked.
class CachedRetriever : public Retriever {
 public:
  void index_build(const Corpus& corpus, const std::string& dir) override { inner_.index_build(corpus, dir); }
  void index_load(const Corpus& corpus, const std::string& dir) override { inner_.index_load(corpus, dir); }
  std::vector<RetrievalHit> search(std::string_view query, int k) override {
    auto [it, fresh] = cache_.try_emplace(std::to_string(k) + "\n" + std::string(query));
    if (fresh) it->second = inner_.search(query, k);
    return it->second;
  }

 private:
  OverlapRetriever inner_;
  std::map<std::string, std::vector<RetrievalHit>> cache_;
};

struct Setup {
  PluginMaker plugins;
  Corpus corpus;
  std::vector<Question> questions;
  CachedRetriever retriever;
  Setup() {
    auto dataset = plugins.make<Dataset>("dataset", "synthetic", "entities = 2000\ntrain = 500\ndev = 0\ntest = 0\n");
    corpus = Corpus(dataset->corpus());
    questions = dataset->questions(Split::train);
    retriever.index_build(corpus, plugins.scratch.path());
  }
};

Setup& setup() {
  static Setup instance;
  return instance;
}

void teacher_run(benchmark::State& state, const std::string& framework_name) {
  Setup& world = setup();
  auto framework = world.plugins.make<Framework>("framework", framework_name, "");
  auto teacher = world.plugins.make<Model>("teacher", "oracle", "");
  framework->run(world.questions, *teacher, world.retriever, world.corpus);  // fills the retrieval cache
  std::size_t steps = 0, right = 0;
  for (auto _ : state) {
    const auto trajectories = framework->run(world.questions, *teacher, world.retriever, world.corpus);
    steps = right = 0;
    for (std::size_t i = 0; i < trajectories.size(); ++i) {
      steps += trajectories[i].steps.size();
      right += trajectories[i].answer == world.questions[i].answers.front();
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * world.questions.size()));  // questions
  state.counters["steps_per_question"] = static_cast<double>(steps) / world.questions.size();
  state.counters["right_share"] = static_cast<double>(right) / world.questions.size();
}

void BM_IrcotOracleTeacher(benchmark::State& state) { teacher_run(state, "ircot"); }
void BM_SelfAskOracleTeacher(benchmark::State& state) { teacher_run(state, "selfask"); }
BENCHMARK(BM_IrcotOracleTeacher)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SelfAskOracleTeacher)->Unit(benchmark::kMillisecond);

// One prompt of 15 passages of about 100 words, as at IRCoT's passage cap.
void BM_RenderPrompt(benchmark::State& state) {
  std::vector<Paragraph> paragraphs;
  std::string text;
  for (int w = 0; w < 100; ++w) text += "word" + std::to_string(w % 37) + (w % 12 == 11 ? ". " : " ");
  std::vector<std::string> ids;
  for (int p = 0; p < 15; ++p) {
    paragraphs.push_back({"p" + std::to_string(p), "Title " + std::to_string(p), text});
    ids.push_back("p" + std::to_string(p));
  }
  const Corpus corpus(paragraphs);
  const frameworks::PromptRenderer renderer({"Wikipedia Title: {title}\n{text}", "Q: {question}\nA:"}, 350);
  std::size_t bytes = 0;
  for (auto _ : state) {
    const std::string prompt = renderer.prompt(ids, corpus, "Where was the director of Heat born?", {" One.", " Two."});
    bytes += prompt.size();
    benchmark::DoNotOptimize(prompt.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_RenderPrompt);

}  // namespace
}  // namespace steper

BENCHMARK_MAIN();
