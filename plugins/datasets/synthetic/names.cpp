#include "names.hpp"

#include <algorithm>
#include <stdexcept>

namespace steper::synthetic {
namespace {

constexpr const char* kOnsets[] = {"b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z",
                                   "br", "dr", "tr", "st", "gr", "th", "sh", "h"};
// First sounds of pretraining stems: none is a first sound of a standard stem (an onset above
// followed by a vowel), so the two sets of names never meet.
constexpr const char* kPretrainingOnsets[] = {"c", "j", "w", "y", "ch", "cl", "kl", "pl", "fl", "wr", "qu", "sk"};
constexpr const char* kVowels[] = {"a", "e", "i", "o", "u", "ai", "ea", "o", "a", "e"};
constexpr const char* kCodas[] = {"", "", "", "n", "r", "l", "s", "m", "th"};
constexpr const char* kCitySuffixes[] = {"holm", "ford", "burg", "ville", "mouth", "stad", "port", "ton", "wick", "dale"};
constexpr const char* kCountrySuffixes[] = {"ia", "land", "stan", "ora", "mark", "avia"};
constexpr const char* kCompanySuffixes[] = {" Industries", " Systems", " Works", " Holdings", " Labs", " Motors", " Foods", " Media"};
constexpr const char* kUniversityForms[] = {"University of {}", "{} Institute of Technology", "{} College", "{} State University"};
constexpr const char* kFilmNouns[] = {"Affair", "Horizon", "Winter", "Promise", "Garden", "Letter", "Voyage", "Silence", "Harvest", "Crossing"};
constexpr const char* kBookNouns[] = {"Chronicles", "Songs", "Letters", "Shadows", "Tales", "Roads", "Memoirs", "Secrets"};
constexpr const char* kBandNouns[] = {"Owls", "Lanterns", "Rivers", "Echoes", "Foxes", "Comets", "Tides", "Ravens"};

template <class T, std::size_t N>
const T& pick(std::mt19937_64& rng, const T (&items)[N]) {
  return items[rng() % N];
}

std::string replace_braces(const std::string& form, const std::string& value) {
  const auto at = form.find("{}");
  return form.substr(0, at) + value + form.substr(at + 2);
}

}  // namespace

NameGenerator::NameGenerator(std::mt19937_64& rng, std::size_t entities, NameSet set) : rng_(rng), set_(set) {
  // A pool much smaller than the world, so each stem recurs in several names.
  const std::size_t stem_count = std::clamp<std::size_t>(entities / 4, 64, 400000);
  std::unordered_set<std::string> seen;
  while (stems_.size() < stem_count) {
    std::string word = fresh_stem();
    if (seen.insert(word).second) stems_.push_back(std::move(word));
  }
  const std::size_t given_count = std::clamp<std::size_t>(entities / 50, 40, 2000);
  while (given_names_.size() < given_count) {
    std::string word = fresh_stem();
    if (seen.insert(word).second) given_names_.push_back(std::move(word));
  }
  used_.reserve(entities * 2);
}

std::string NameGenerator::fresh_stem() {
  std::string word;
  const int syllables = 2 + (rng_() % 4 == 0);
  for (int i = 0; i < syllables; ++i) {
    word += i == 0 && set_ == NameSet::pretraining ? pick(rng_, kPretrainingOnsets) : pick(rng_, kOnsets);
    word += pick(rng_, kVowels);
    if (i + 1 == syllables || rng_() % 3 == 0) word += pick(rng_, kCodas);
  }
  word[0] = static_cast<char>(word[0] - 'a' + 'A');
  return word;
}

std::string NameGenerator::stem() { return stems_[rng_() % stems_.size()]; }

std::string NameGenerator::compose(EntityType type, const std::string& stem) {
  switch (type) {
    case EntityType::person: return given_names_[rng_() % given_names_.size()] + " " + stem;
    case EntityType::city: return stem + pick(rng_, kCitySuffixes);
    case EntityType::country: return stem + pick(rng_, kCountrySuffixes);
    case EntityType::company: return stem + pick(rng_, kCompanySuffixes);
    case EntityType::university: return replace_braces(pick(rng_, kUniversityForms), stem);
    case EntityType::film: return std::string("The ") + stem + " " + pick(rng_, kFilmNouns);
    case EntityType::book: return std::string(pick(rng_, kBookNouns)) + " of " + stem;
    case EntityType::band: return std::string("The ") + stem + " " + pick(rng_, kBandNouns);
  }
  throw std::logic_error("unknown entity type");
}

std::string NameGenerator::next(EntityType type, const std::string& fixed_stem, std::string* stem_used) {
  // Pool stems first; when a combination is taken too often, join two stems instead.
  for (int attempt = 0;; ++attempt) {
    std::string base = fixed_stem.empty() || attempt > 8 ? stem() : fixed_stem;
    if (attempt > 16) base += stem().substr(0, 3 + rng_() % 2);
    if (attempt > 24) base = fresh_stem() + stem();
    std::string name = compose(type, base);
    if (used_.insert(name).second) {
      *stem_used = std::move(base);
      return name;
    }
  }
}

}  // namespace steper::synthetic
