// A generated two-hop world for tests: people born in cities, cities in countries.
// Every question asks "In which country was <person> born?", which takes two hops
// (person -> city paragraph -> country). Deterministic for a given `seed` setting.
#include <algorithm>
#include <array>
#include <cstdint>
#include <numeric>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "steper/dataset.hpp"

namespace {

using steper::DecompositionStep;
using steper::Paragraph;
using steper::Question;
using steper::Split;

constexpr const char* kOnsets[] = {"b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z"};
constexpr const char* kVowels[] = {"a", "e", "i", "o", "u"};
constexpr const char* kJobs[] = {"baker", "carpenter", "teacher", "sailor", "painter", "farmer", "doctor", "weaver"};
constexpr const char* kLandmarks[] = {"old harbour", "river market", "stone bridge", "clock tower", "spring festival"};
constexpr int kMaxPeople = 10000;

template <class T, std::size_t N>
const T& pick(std::mt19937_64& rng, const T (&items)[N]) {
  return items[rng() % N];
}

// Pronounceable names of two or three syllables, unique across the whole world.
class NameMaker {
 public:
  explicit NameMaker(std::mt19937_64& rng) : rng_(rng) {}
  std::string next() {
    for (;;) {
      std::string name;
      const int syllables = 2 + static_cast<int>(rng_() % 2);
      for (int i = 0; i < syllables; ++i) name += std::string(pick(rng_, kOnsets)) + pick(rng_, kVowels);
      name[0] = static_cast<char>(name[0] - 'a' + 'A');
      if (used_.insert(name).second) return name;
    }
  }

 private:
  std::mt19937_64& rng_;
  std::set<std::string> used_;
};

class ToyWorld : public steper::Dataset {
 public:
  ToyWorld(steper::Settings& settings, steper::PluginContext&) {
    fail_ = settings.get<bool>("fail", false);
    const int people = settings.get<int>("people", 40);
    const int seed = settings.get<int>("seed", 1);
    split_sizes_ = {settings.get<int>("train", 20), settings.get<int>("dev", 5), settings.get<int>("test", 10)};
    if (people < 1 || people > kMaxPeople) settings.fail("people", "a number from 1 to " + std::to_string(kMaxPeople));
    const char* split_keys[] = {"train", "dev", "test"};
    for (int i = 0; i < 3; ++i)
      if (split_sizes_[i] < 0) settings.fail(split_keys[i], "a non-negative question count");
    if (std::accumulate(split_sizes_.begin(), split_sizes_.end(), 0) > people)
      settings.fail("test", "train + dev + test at most people (" + std::to_string(people) + ")");
    generate(people, static_cast<std::uint64_t>(seed));
  }

  std::vector<Question> questions(Split split) override {
    const int index = static_cast<int>(split);
    const int begin = std::accumulate(split_sizes_.begin(), split_sizes_.begin() + index, 0);
    return {questions_.begin() + begin, questions_.begin() + begin + split_sizes_[index]};
  }

  // Fails when the cell runs (not at construction, which is validation) to test failed cells.
  std::vector<Paragraph> corpus() override {
    if (fail_) throw std::runtime_error("toy_world: failing as configured (fail = true)");
    return corpus_;
  }
  std::string fingerprint() override { return "toy_world-v1"; }

 private:
  void generate(int people, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    NameMaker names(rng);
    const int country_count = std::max(2, people / 10);
    const int city_count = std::max(3, people / 4);
    std::vector<std::string> countries, cities, city_country;
    for (int i = 0; i < country_count; ++i) countries.push_back(names.next());
    std::vector<Paragraph> city_paragraphs;
    for (int i = 0; i < city_count; ++i) {
      cities.push_back(names.next());
      city_country.push_back(countries[rng() % countries.size()]);
      city_paragraphs.push_back({"city-" + std::to_string(i), cities[i],
                                 cities[i] + " is a city in " + city_country[i] + ". " + cities[i] +
                                     " is known for its " + pick(rng, kLandmarks) + "."});
    }
    for (int i = 0; i < people; ++i) {
      const std::string name = names.next();
      const std::size_t city = rng() % cities.size();
      Paragraph person{"person-" + std::to_string(i), name,
                       name + " was born in " + cities[city] + ". " + name + " works as a " + pick(rng, kJobs) + "."};
      Question question;
      question.id = "toy-" + std::to_string(i);
      question.text = "In which country was " + name + " born?";
      question.answers = {city_country[city]};
      question.decomposition = {
          DecompositionStep{"Where was " + name + " born?", cities[city], person.id},
          DecompositionStep{"In which country is " + cities[city] + "?", city_country[city], city_paragraphs[city].id}};
      question.supporting_paragraph_ids = {person.id, city_paragraphs[city].id};
      question.type = "compositional";
      question.hops = 2;
      questions_.push_back(std::move(question));
      corpus_.push_back(std::move(person));
    }
    corpus_.insert(corpus_.end(), city_paragraphs.begin(), city_paragraphs.end());
  }

  bool fail_ = false;
  std::array<int, 3> split_sizes_;  // questions in train, dev, test
  std::vector<Question> questions_;  // one per person; splits take consecutive people
  std::vector<Paragraph> corpus_;
};

}  // namespace

STEPER_PLUGIN(Dataset, "toy_world", "1.0.0", ToyWorld)
