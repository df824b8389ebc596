#include "questions.hpp"

#include <algorithm>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <unordered_set>

#include "paragraphs.hpp"

namespace steper::synthetic {
namespace {

constexpr int kYearSlot = kRelationCount;  // the fact slot of an entity's year
constexpr int kMaxAttempts = 5000;         // drafts tried per question before giving up
constexpr int kComparisonKind = 3;         // kinds 0-2 are chains of 2-4 hops

std::uint64_t fact_key(std::int32_t entity, int slot) { return static_cast<std::uint64_t>(entity) * 16 + slot; }

std::string format(const char* pattern, const std::string& first, const std::string& second = "") {
  std::string out = pattern;
  auto at = out.find("{}");
  out.replace(at, 2, first);
  at = out.find("{}", at + first.size());
  if (at != std::string::npos) out.replace(at, 2, second);
  return out;
}

struct Phrases {
  const char* noun_phrase;
  const char* question;
};
Phrases phrases(Relation relation, EntityType subject) {
  if (relation == Relation::located_in) {
    if (subject == EntityType::city) return {"the country of {}", "In which country is {}?"};
    if (subject == EntityType::university) return {"the city where {} is located", "In which city is {} located?"};
    if (subject == EntityType::band) return {"the home city of {}", "Which city is {} from?"};
  }
  return {info(relation).noun_phrase, info(relation).question};
}

struct Comparison {
  EntityType type;
  const char* question;  // "{}" are the two entities
  const char* step;      // "{}" is one entity; the answer is its year
};
constexpr Comparison kComparisons[] = {
    {EntityType::person, "Who was born first, {} or {}?", "When was {} born?"},
    {EntityType::film, "Which film came out first, {} or {}?", "When was {} released?"},
    {EntityType::book, "Which book was published first, {} or {}?", "When was {} published?"},
    {EntityType::company, "Which company was founded first, {} or {}?", "When was {} founded?"},
};

struct Draft {
  Question question;
  std::vector<std::uint64_t> facts;  // (entity, relation or year) pairs the answer depends on
};

class Composer {
 public:
  Composer(const World& world, std::uint64_t seed) : world_(world), rng_(seed ^ 0x51ed2701a3c5b9e7ULL) {}

  std::mt19937_64& rng() { return rng_; }

  // A random walk of `hops` relations from a random entity, never revisiting an entity.
  std::optional<Draft> chain(int hops) {
    const auto& pool = world_.by_type[rng_() % kEntityTypeCount];
    std::vector<std::int32_t> nodes{pool[rng_() % pool.size()]};
    std::vector<Relation> relations;
    for (int hop = 0; hop < hops; ++hop) {
      const Entity& at = world_.entities[nodes.back()];
      Relation options[kRelationCount];
      int option_count = 0;
      for (int r = 0; r < kRelationCount; ++r)
        if (at.object[r] >= 0 && std::find(nodes.begin(), nodes.end(), at.object[r]) == nodes.end())
          options[option_count++] = static_cast<Relation>(r);
      if (option_count == 0) return std::nullopt;
      relations.push_back(options[rng_() % option_count]);
      nodes.push_back(at.object[static_cast<int>(relations.back())]);
    }
    Draft draft;
    Question& q = draft.question;
    std::string noun_phrase = name(nodes[0]);
    for (int hop = 0; hop < hops; ++hop) {
      const Entity& subject = world_.entities[nodes[hop]];
      const Phrases phrase = phrases(relations[hop], subject.type);
      q.decomposition.push_back({format(phrase.question, subject.name), name(nodes[hop + 1]), paragraph_id(nodes[hop])});
      q.supporting_paragraph_ids.push_back(paragraph_id(nodes[hop]));
      draft.facts.push_back(fact_key(nodes[hop], static_cast<int>(relations[hop])));
      if (hop + 1 < hops) noun_phrase = format(phrase.noun_phrase, noun_phrase);
      else q.text = format(phrase.question, noun_phrase);
    }
    q.answers = {name(nodes.back())};
    q.type = "compositional";
    q.hops = hops;
    return draft;
  }

  // Which of two entities of one type has the earlier year.
  std::optional<Draft> comparison() {
    const Comparison& kind = kComparisons[rng_() % std::size(kComparisons)];
    const auto& pool = world_.by_type[static_cast<int>(kind.type)];
    const std::int32_t a = pool[rng_() % pool.size()], b = pool[rng_() % pool.size()];
    const Entity &first = world_.entities[a], &second = world_.entities[b];
    if (first.year == second.year) return std::nullopt;
    Draft draft;
    Question& q = draft.question;
    q.text = format(kind.question, first.name, second.name);
    for (const std::int32_t e : {a, b}) {
      q.decomposition.push_back({format(kind.step, name(e)), std::to_string(world_.entities[e].year), paragraph_id(e)});
      q.supporting_paragraph_ids.push_back(paragraph_id(e));
      draft.facts.push_back(fact_key(e, kYearSlot));
    }
    q.answers = {first.year < second.year ? first.name : second.name};
    q.type = "comparison";
    q.hops = 2;
    return draft;
  }

 private:
  const std::string& name(std::int32_t entity) const { return world_.entities[entity].name; }

  const World& world_;
  std::mt19937_64 rng_;
};

// The kind of each of `count` questions, in the proportions of `mix`, in random order.
std::vector<int> question_kinds(int count, const QuestionMix& mix, std::mt19937_64& rng) {
  const double hop_total = mix.hop_weights[0] + mix.hop_weights[1] + mix.hop_weights[2];
  double shares[4];
  for (int h = 0; h < 3; ++h) shares[h] = hop_total > 0 ? (1 - mix.comparison_share) * mix.hop_weights[h] / hop_total : 0;
  shares[kComparisonKind] = hop_total > 0 ? mix.comparison_share : 1.0;
  std::vector<int> kinds;
  for (int i = 0; i < count; ++i) {
    const double position = (i + 0.5) / count;
    int kind = 0;
    for (double below = shares[0]; kind < kComparisonKind && below <= position; below += shares[++kind]) {
    }
    kinds.push_back(kind);
  }
  std::shuffle(kinds.begin(), kinds.end(), rng);
  return kinds;
}

}  // namespace

std::array<std::vector<Question>, 3> compose_questions(const World& world, const std::array<int, 3>& counts,
                                                       const QuestionMix& mix, std::uint64_t seed) {
  Composer composer(world, seed);
  std::unordered_set<std::uint64_t> held_out;  // facts used by dev and test questions
  std::unordered_set<std::string> texts;
  std::array<std::vector<Question>, 3> splits;
  std::size_t entities = 0;
  for (const auto& pool : world.by_type) entities += pool.size();
  // Held-out splits first, so training questions can avoid every fact they use.
  for (const Split split : {Split::test, Split::dev, Split::train}) {
    const int index = static_cast<int>(split);
    for (const int kind : question_kinds(counts[index], mix, composer.rng())) {
      std::optional<Draft> accepted;
      for (int attempt = 0; attempt < kMaxAttempts && !accepted; ++attempt) {
        auto draft = kind == kComparisonKind ? composer.comparison() : composer.chain(kind + 2);
        if (!draft || texts.count(draft->question.text)) continue;
        if (split == Split::train &&
            std::any_of(draft->facts.begin(), draft->facts.end(), [&](auto f) { return held_out.count(f) != 0; }))
          continue;
        accepted = std::move(draft);
      }
      if (!accepted)
        throw std::runtime_error("synthetic: could not compose " + std::to_string(counts[index]) + " distinct " +
                                 to_string(split) + " questions in a world of " +
                                 std::to_string(entities) + " entities (made " +
                                 std::to_string(splits[index].size()) + "); raise `entities` or lower `" +
                                 to_string(split) + "`");
      if (split != Split::train) held_out.insert(accepted->facts.begin(), accepted->facts.end());
      texts.insert(accepted->question.text);
      Question& q = accepted->question;
      q.id = std::to_string(q.hops) + "hop__synth_" + to_string(split) + "_" + std::to_string(splits[index].size());
      splits[index].push_back(std::move(q));
    }
  }
  return splits;
}

}  // namespace steper::synthetic
