// BM25 recall of the supporting paragraphs of the synthetic multi-hop world, per hop: with the
// question alone as the query (single-step retrieval), and with the gold sub-question of each
// hop, the previous hop's answer already in it (what an ideal multi-step retriever would ask).
// Builds the world with the synthetic dataset's defaults (its sources are compiled in), indexes
// it with the bm25 retriever's defaults, and prints a Markdown table.
//
//   steper_bm25_recall [--entities=N (2000)] [--questions=N (1000)] [--seed=N (1)]
#include <array>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <unistd.h>

#include "analyzer.hpp"
#include "index_builder.hpp"
#include "paragraphs.hpp"
#include "questions.hpp"
#include "searcher.hpp"
#include "world.hpp"

namespace {

using namespace steper;
constexpr std::array<std::size_t, 3> kCutoffs = {2, 5, 10};

// How many of `total` supporting paragraphs were within each cutoff.
struct Recall {
  std::array<std::size_t, kCutoffs.size()> found{};
  std::size_t total = 0;
  void add(std::size_t rank) {  // rank: 0-based, or SIZE_MAX when not retrieved
    for (std::size_t c = 0; c < kCutoffs.size(); ++c) found[c] += rank < kCutoffs[c];
    ++total;
  }
};

// Recall per question kind ("2-hop", ..., "comparison") and hop (1-based; 0 is "every hop").
struct Table {
  std::map<std::string, std::map<int, std::array<Recall, 2>>> rows;  // [kind][hop][single step, oracle]
};

std::size_t rank_of(const std::vector<RetrievalHit>& hits, std::size_t doc) {
  for (std::size_t i = 0; i < hits.size(); ++i)
    if (hits[i].doc == doc) return i;
  return SIZE_MAX;
}

// The number in "--name=N" when the argument starts with `prefix` ("--name=").
std::optional<std::size_t> parse_count(const std::string& argument, const std::string& prefix) {
  if (argument.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  const std::string digits = argument.substr(prefix.size());
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos)
    throw std::invalid_argument("expected a whole number after " + prefix + ", got '" + argument + "'");
  return std::stoul(digits);
}

}  // namespace

int main(int argc, char** argv) try {
  std::size_t entities = 2000, question_count = 1000, seed = 1;
  for (int i = 1; i < argc; ++i) {
    if (const auto value = parse_count(argv[i], "--entities=")) entities = *value;
    else if (const auto value = parse_count(argv[i], "--questions=")) question_count = *value;
    else if (const auto value = parse_count(argv[i], "--seed=")) seed = *value;
    else throw std::invalid_argument(std::string("unknown argument '") + argv[i] +
                                     "'; expected --entities=N, --questions=N or --seed=N");
  }
  if (entities < 100) throw std::invalid_argument("--entities must be at least 100, got " + std::to_string(entities));
  if (question_count == 0 || question_count > entities)
    throw std::invalid_argument("--questions must be from 1 to --entities (" + std::to_string(entities) + "), got " +
                                std::to_string(question_count));

  synthetic::WorldSize size;
  size.entities = entities;
  const synthetic::World world = synthetic::generate_world(size, seed);
  const Corpus corpus(synthetic::write_paragraphs(world, seed));
  const std::vector<Question> questions = synthetic::compose_questions(
      world, {0, 0, static_cast<int>(question_count)}, synthetic::QuestionMix{}, seed)[static_cast<int>(Split::test)];

  const bm25::Parameters parameters;
  const bm25::IndexIdentity identity{corpus.size(), bm25::corpus_hash(corpus), bm25::kAnalyzerName, parameters.describe()};
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("steper_bm25_recall_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  bm25::write_index(dir.string(), identity, bm25::build_index(corpus, parameters, 2, {}));
  const bm25::Searcher searcher(dir.string(), identity, parameters);
  std::filesystem::remove_all(dir);  // the searcher keeps the files mapped
  bm25::EnglishAnalyzer analyzer;
  bm25::SearchScratch scratch;
  auto search = [&](const std::string& query) { return searcher.search(analyzer.analyze(query), kCutoffs.back(), scratch); };

  Table table;
  for (const Question& question : questions) {
    const std::string kind = question.type == "comparison" ? "comparison" : std::to_string(question.hops) + "-hop";
    const auto single_step = search(question.text);
    std::size_t single_all = 0, oracle_all = 0;  // the worst rank over the hops
    for (std::size_t hop = 0; hop < question.decomposition.size(); ++hop) {
      const DecompositionStep& step = question.decomposition[hop];
      const std::size_t doc = corpus.doc_of(step.paragraph_id);
      const std::size_t single_rank = rank_of(single_step, doc);
      const std::size_t oracle_rank = rank_of(search(step.question), doc);
      auto& row = table.rows[kind][static_cast<int>(hop) + 1];
      row[0].add(single_rank);
      row[1].add(oracle_rank);
      single_all = std::max(single_all, single_rank);
      oracle_all = std::max(oracle_all, oracle_rank);
    }
    table.rows[kind][0][0].add(single_all);
    table.rows[kind][0][1].add(oracle_all);
  }

  std::cout << "BM25 recall of supporting paragraphs, synthetic world: " << entities << " entities, "
            << corpus.size() << " paragraphs, " << questions.size() << " questions, seed " << seed << "\n\n"
            << "| questions | hop | n | question R@2 | R@5 | R@10 | oracle hop query R@2 | R@5 | R@10 |\n"
            << "|---|---|--:|--:|--:|--:|--:|--:|--:|\n"
            << std::fixed << std::setprecision(1);
  for (const auto& [kind, hops] : table.rows) {
    auto print = [&](int hop, const std::array<Recall, 2>& recalls) {
      std::cout << "| " << kind << " | " << (hop == 0 ? "all" : std::to_string(hop)) << " | " << recalls[0].total;
      for (const Recall& recall : recalls)
        for (const std::size_t found : recall.found) std::cout << " | " << 100.0 * found / recall.total;
      std::cout << " |\n";
    };
    for (const auto& [hop, recalls] : hops)
      if (hop != 0) print(hop, recalls);
    print(0, hops.at(0));
  }
  return 0;
} catch (const std::exception& e) {
  std::cerr << "steper_bm25_recall: " << e.what() << "\n";
  return 1;
}
