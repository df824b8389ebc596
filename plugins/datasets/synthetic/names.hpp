// Pronounceable, unique entity names built from a shared pool of stems, so that many names
// share parts (a person Tomas Varen, a city Varenholm, a band The Varen Owls) and matching
// words alone cannot tell the entities apart.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "world.hpp"

namespace steper::synthetic {

class NameGenerator {
 public:
  // `entities`: about how many names will be asked for; sizes the stem pool.
  NameGenerator(std::mt19937_64& rng, std::size_t entities, NameSet set = NameSet::standard);
  // A name for an entity of this type, unique across every name this generator gave, built
  // on `stem` when given (for distractors that share a part with another entity's name).
  // Sets `*stem_used` to the stem the name was built on.
  std::string next(EntityType type, const std::string& stem, std::string* stem_used);

 private:
  std::string stem();                      // a capitalised word from the shared pool
  std::string fresh_stem();                // a new random capitalised 2-3 syllable word
  std::string compose(EntityType type, const std::string& stem);

  std::mt19937_64& rng_;
  NameSet set_;
  std::vector<std::string> stems_;
  std::vector<std::string> given_names_;
  std::unordered_set<std::string> used_;
};

}  // namespace steper::synthetic
