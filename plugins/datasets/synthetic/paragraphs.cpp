#include "paragraphs.hpp"

#include <algorithm>
#include <random>

namespace steper::synthetic {
namespace {

using Variants = const char* [3];  // "{n}" the entity, "{o}" the object, "{y}" the year, "{k}" the number

struct TypeTemplates {
  const char* flavours[5];  // what kind of person, city, ... the intro calls it
  Variants intro;
  Variants number;
};
// In the order of kEntityTypes.
constexpr TypeTemplates kTypeTemplates[] = {
    {{"painter", "surgeon", "physician", "journalist", "sculptor"},
     {"{n} (born {y}) is a {o}.", "{n} is a {o} born in {y}.", "Born in {y}, {n} is a {o}."},
     {"{n} is {k} cm tall.", "{n} stands {k} cm tall.", "{n} measures {k} cm in height."}},
    {{"port city", "market town", "mountain city", "river city", "university town"},
     {"{n} is a {o} founded in {y}.", "Founded in {y}, {n} is a {o}.", "{n} is a {o} that dates from {y}."},
     {"{n} has {k} inhabitants.", "About {k} people live in {n}.", "The population of {n} is {k}."}},
    {{"kingdom", "republic", "federation", "coastal nation", "principality"},
     {"{n} is a {o} established in {y}.", "Established in {y}, {n} is a {o}.", "{n} is a {o} founded in {y}."},
     {"{n} has a population of {k}.", "{k} people live in {n}.", "The population of {n} is {k}."}},
    {{"shipping company", "software company", "food producer", "car maker", "media company"},
     {"{n} is a {o} founded in {y}.", "Founded in {y}, {n} is a {o}.", "{n} is a {o} established in {y}."},
     {"{n} employs {k} people.", "It has {k} employees.", "The company has a staff of {k}."}},
    {{"drama", "comedy", "thriller", "documentary", "western"},
     {"{n} is a {y} {o}.", "{n} is a {o} released in {y}.", "Released in {y}, {n} is a {o}."},
     {"The film runs {k} minutes.", "{n} is {k} minutes long.", "It has a running time of {k} minutes."}},
    {{"novel", "poetry collection", "biography", "travel book", "short story collection"},
     {"{n} is a {o} published in {y}.", "{n} is a {y} {o}.", "First published in {y}, {n} is a {o}."},
     {"The book has {k} pages.", "{n} runs to {k} pages.", "It is {k} pages long."}},
    {{"rock band", "folk band", "jazz ensemble", "pop group", "brass band"},
     {"{n} is a {o} formed in {y}.", "Formed in {y}, {n} is a {o}.", "{n} is a {o} that began in {y}."},
     {"{n} has released {k} albums.", "The band has made {k} albums.", "They have recorded {k} albums."}},
    {{"public university", "private university", "research university", "technical university", "university"},
     {"{n} is a {o} founded in {y}.", "Founded in {y}, {n} is a {o}.", "{n} is a {o} established in {y}."},
     {"{n} has {k} students.", "About {k} students attend {n}.", "It enrols {k} students."}},
};

// In the order of kRelations; located_in depends on the subject's type (below).
constexpr Variants kRelationTemplates[] = {
    {"{n} was born in {o}.", "The birthplace of {n} is {o}.", "{n} is a native of {o}."},
    {"{n} studied at {o}.", "{n} is a graduate of {o}.", "{n} attended {o}."},
    {"{n} is married to {o}.", "{n} married {o}.", "The spouse of {n} is {o}."},
    {"{n} is a member of {o}.", "{n} plays in {o}.", "{n} joined {o}."},
    {"{n} lies in {o}.", "{n} is a city in {o}.", "{n} is located in {o}."},
    {"Its capital is {o}.", "The capital of {n} is {o}.", "{o} is the capital of {n}."},
    {"It was founded by {o}.", "{o} founded {n}.", "{n} was founded by {o}."},
    {"{n} is headquartered in {o}.", "Its headquarters are in {o}.", "The company is based in {o}."},
    {"It was directed by {o}.", "{o} directed {n}.", "{n} was directed by {o}."},
    {"It was written by {o}.", "{o} wrote {n}.", "{n} is by {o}."},
};
constexpr Variants kUniversityLocation = {"It is located in {o}.", "The campus of {n} is in {o}.", "{n} is based in {o}."};
constexpr Variants kBandLocation = {"The band comes from {o}.", "{n} is based in {o}.", "{n} was formed in {o}."};
constexpr Variants kCapitalCity = {"{n} is the capital of {o}.", "It is the capital city of {o}.", "{n} serves as the capital of {o}."};

const Variants& relation_templates(Relation relation, EntityType subject) {
  if (relation == Relation::located_in && subject == EntityType::university) return kUniversityLocation;
  if (relation == Relation::located_in && subject == EntityType::band) return kBandLocation;
  return kRelationTemplates[static_cast<int>(relation)];
}

// Appends `pattern` with its placeholders filled.
void fill(std::string& out, const char* pattern, const Entity& entity, const std::string& object) {
  for (const char* c = pattern; *c; ++c) {
    if (c[0] != '{' || !c[1] || c[2] != '}') {
      out += *c;
      continue;
    }
    switch (c[1]) {
      case 'n': out += entity.name; break;
      case 'o': out += object; break;
      case 'y': out += std::to_string(entity.year); break;
      case 'k': out += std::to_string(entity.number); break;
    }
    c += 2;
  }
}

}  // namespace

std::string paragraph_id(std::size_t index) { return "synth-" + std::to_string(index); }

std::vector<Paragraph> write_paragraphs(const World& world, std::uint64_t seed) {
  std::mt19937_64 rng(seed ^ 0x9e3779b97f4a7c15ULL);
  std::vector<Paragraph> paragraphs;
  paragraphs.reserve(world.entities.size());
  std::vector<std::string> sentences;
  for (std::size_t index = 0; index < world.entities.size(); ++index) {
    const Entity& entity = world.entities[index];
    const TypeTemplates& templates = kTypeTemplates[static_cast<int>(entity.type)];
    auto sentence = [&](const Variants& variants, const std::string& object) {
      std::string text;
      fill(text, variants[rng() % 3], entity, object);
      sentences.push_back(std::move(text));
    };
    sentences.clear();
    sentence(templates.number, "");
    for (int r = 0; r < kRelationCount; ++r)
      if (entity.object[r] >= 0)
        sentence(relation_templates(static_cast<Relation>(r), entity.type), world.entities[entity.object[r]].name);
    if (entity.type == EntityType::city && !entity.distractor) {
      const std::int32_t country = entity.object[static_cast<int>(Relation::located_in)];
      if (world.entities[country].object[static_cast<int>(Relation::capital_of)] == static_cast<std::int32_t>(index))
        sentence(kCapitalCity, world.entities[country].name);
    }
    std::shuffle(sentences.begin(), sentences.end(), rng);
    Paragraph paragraph{paragraph_id(index), entity.name, {}};
    fill(paragraph.text, templates.intro[rng() % 3], entity, templates.flavours[rng() % 5]);
    for (const auto& text : sentences) {
      paragraph.text += ' ';
      paragraph.text += text;
    }
    paragraphs.push_back(std::move(paragraph));
  }
  return paragraphs;
}

}  // namespace steper::synthetic
