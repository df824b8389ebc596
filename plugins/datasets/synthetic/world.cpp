#include "world.hpp"

#include <algorithm>
#include <cmath>
#include <random>

#include "names.hpp"

namespace steper::synthetic {
namespace {

struct Range {
  int low, high;  // inclusive
};
struct AttributeRanges {
  Range year, number;
};
// Per entity type, in the order of kEntityTypes.
constexpr AttributeRanges kAttributeRanges[] = {
    {{1900, 1999}, {150, 205}},          {{800, 1900}, {10000, 5000000}}, {{1200, 1990}, {300000, 90000000}},
    {{1850, 2015}, {20, 200000}},        {{1930, 2020}, {75, 190}},       {{1800, 2020}, {90, 1200}},
    {{1960, 2015}, {1, 18}},             {{1100, 1990}, {1500, 60000}},
};
constexpr double kStudiedShare = 0.8;   // people with a university
constexpr double kMarriedShare = 0.3;   // people in a married couple
constexpr double kMusicianShare = 0.15; // people in a band

int draw(std::mt19937_64& rng, Range range) {
  return range.low + static_cast<int>(rng() % static_cast<std::uint64_t>(range.high - range.low + 1));
}
bool chance(std::mt19937_64& rng, double share) { return static_cast<double>(rng() % 1000000) < share * 1e6; }

class WorldBuilder {
 public:
  WorldBuilder(const WorldSize& size, std::uint64_t seed)
      : rng_(seed), names_(rng_, static_cast<std::size_t>(size.entities * (1 + size.distractor_share)), size.names), size_(size) {}

  World build() {
    world_.entities.reserve(static_cast<std::size_t>(size_.entities * (1 + size_.distractor_share)) + 3 * kEntityTypeCount);
    for (const auto& type : kEntityTypes) {
      const auto count = std::max<std::size_t>(3, std::llround(type.share * size_.entities));
      for (std::size_t i = 0; i < count; ++i) add(type.type, "", false);
    }
    for (std::int32_t e = 0; e < static_cast<std::int32_t>(world_.entities.size()); ++e) relate(e);
    marry_couples();
    const auto distractors = static_cast<std::size_t>(std::llround(size_.distractor_share * size_.entities));
    const std::size_t real = world_.entities.size();
    for (std::size_t i = 0; i < distractors; ++i) {
      const Entity& target = world_.entities[rng_() % real];
      const std::string stem = target.stem;  // `add` may move the entities
      relate(add(target.type, stem, true));
    }
    return std::move(world_);
  }

 private:
  std::int32_t add(EntityType type, const std::string& stem, bool distractor) {
    Entity entity;
    entity.type = type;
    entity.distractor = distractor;
    entity.name = names_.next(type, stem, &entity.stem);
    const auto& ranges = kAttributeRanges[static_cast<int>(type)];
    entity.year = draw(rng_, ranges.year);
    entity.number = draw(rng_, ranges.number);
    const auto index = static_cast<std::int32_t>(world_.entities.size());
    world_.entities.push_back(std::move(entity));
    if (!distractor) world_.by_type[static_cast<int>(type)].push_back(index);
    return index;
  }

  std::int32_t any(EntityType type) {
    const auto& pool = world_.by_type[static_cast<int>(type)];
    return pool[rng_() % pool.size()];
  }

  // Every relation but married_to (paired later) and capital_of (chosen among a country's cities).
  void relate(std::int32_t index) {
    Entity& e = world_.entities[index];
    auto set = [&](Relation r, std::int32_t object) { e.object[static_cast<int>(r)] = object; };
    switch (e.type) {
      case EntityType::person:
        set(Relation::born_in, any(EntityType::city));
        if (chance(rng_, kStudiedShare)) set(Relation::studied_at, any(EntityType::university));
        if (chance(rng_, kMusicianShare)) set(Relation::member_of, any(EntityType::band));
        break;
      case EntityType::city: {
        // The first cities take one country each, so every country has a city for its capital.
        const auto& countries = world_.by_type[static_cast<int>(EntityType::country)];
        const bool founding = !e.distractor && cities_related_ < countries.size();
        const std::int32_t country = founding ? countries[cities_related_] : any(EntityType::country);
        if (!e.distractor) ++cities_related_;
        set(Relation::located_in, country);
        auto& capital = world_.entities[country].object[static_cast<int>(Relation::capital_of)];
        if (!e.distractor && (capital < 0 || rng_() % 4 == 0)) capital = index;
        break;
      }
      case EntityType::country: break;
      case EntityType::company:
        set(Relation::founded_by, any(EntityType::person));
        set(Relation::headquartered_in, any(EntityType::city));
        break;
      case EntityType::film: set(Relation::directed_by, any(EntityType::person)); break;
      case EntityType::book: set(Relation::written_by, any(EntityType::person)); break;
      case EntityType::band: set(Relation::located_in, any(EntityType::city)); break;
      case EntityType::university: set(Relation::located_in, any(EntityType::city)); break;
    }
  }

  void marry_couples() {
    auto people = world_.by_type[static_cast<int>(EntityType::person)];
    std::shuffle(people.begin(), people.end(), rng_);
    const auto married = static_cast<std::size_t>(kMarriedShare * people.size()) / 2 * 2;
    const int spouse = static_cast<int>(Relation::married_to);
    for (std::size_t i = 0; i + 1 < married; i += 2) {
      world_.entities[people[i]].object[spouse] = people[i + 1];
      world_.entities[people[i + 1]].object[spouse] = people[i];
    }
  }

  std::mt19937_64 rng_;
  NameGenerator names_;
  WorldSize size_;
  World world_;
  std::size_t cities_related_ = 0;  // non-distractor cities given a country so far
};

}  // namespace

World generate_world(const WorldSize& size, std::uint64_t seed) { return WorldBuilder(size, seed).build(); }

}  // namespace steper::synthetic
