// The world model of the synthetic dataset: typed entities, the relations between them and
// their attributes (a year and a number each). Every entity gets one paragraph.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace steper::synthetic {

enum class EntityType { person, city, country, company, film, book, band, university };
inline constexpr int kEntityTypeCount = 8;

struct EntityTypeInfo {
  EntityType type;
  const char* name;
  double share;  // of the world's entities
};
inline constexpr EntityTypeInfo kEntityTypes[] = {
    {EntityType::person, "person", 0.40},  {EntityType::city, "city", 0.12},
    {EntityType::country, "country", 0.03}, {EntityType::company, "company", 0.10},
    {EntityType::film, "film", 0.12},      {EntityType::book, "book", 0.12},
    {EntityType::band, "band", 0.05},      {EntityType::university, "university", 0.06},
};

enum class Relation {
  born_in,           // person -> city
  studied_at,        // person -> university
  married_to,        // person -> person (both ways)
  member_of,         // person -> band (musicians only)
  located_in,        // city -> country, university -> city, band -> city
  capital_of,        // country -> city: the country's capital
  founded_by,        // company -> person
  headquartered_in,  // company -> city
  directed_by,       // film -> person
  written_by,        // book -> person
};
inline constexpr int kRelationCount = 10;

struct RelationInfo {
  Relation relation;
  const char* name;
  const char* noun_phrase;  // "{}" is the subject: "the director of {}"
  const char* question;     // "{}" is the subject: "Who directed {}?"
};
// The located_in phrases depend on the subject's type; see `phrases` in questions.cpp.
inline constexpr RelationInfo kRelations[] = {
    {Relation::born_in, "born in", "the birthplace of {}", "Where was {} born?"},
    {Relation::studied_at, "studied at", "the university where {} studied", "Where did {} study?"},
    {Relation::married_to, "married to", "the spouse of {}", "Who is {} married to?"},
    {Relation::member_of, "member of", "the band of {}", "Which band is {} a member of?"},
    {Relation::located_in, "located in", "the place where {} is located", "Where is {} located?"},
    {Relation::capital_of, "capital of", "the capital of {}", "What is the capital of {}?"},
    {Relation::founded_by, "founded by", "the founder of {}", "Who founded {}?"},
    {Relation::headquartered_in, "headquartered in", "the headquarters city of {}", "In which city is {} headquartered?"},
    {Relation::directed_by, "directed by", "the director of {}", "Who directed {}?"},
    {Relation::written_by, "written by", "the author of {}", "Who wrote {}?"},
};
inline const RelationInfo& info(Relation relation) { return kRelations[static_cast<int>(relation)]; }

struct Entity {
  EntityType type = EntityType::person;
  bool distractor = false;  // shares a name part with another entity; never starts a question
  std::string name;
  std::string stem;  // the name part it shares with other names
  int year = 0;
  int number = 0;
  std::array<std::int32_t, kRelationCount> object;  // entity index per relation, -1 for none
  Entity() { object.fill(-1); }
};

// Which names a world's entities get. Every word of a pretraining name starts with a sound no
// standard name starts with, so a pretraining world never names an entity of a standard one.
enum class NameSet { standard, pretraining };

struct WorldSize {
  std::size_t entities = 2000;        // entities that questions may use
  double distractor_share = 0.2;      // extra distractor entities, relative to `entities`
  NameSet names = NameSet::standard;
};

struct World {
  std::vector<Entity> entities;  // paragraph i is about entity i
  std::array<std::vector<std::int32_t>, kEntityTypeCount> by_type;  // non-distractor entities
};

World generate_world(const WorldSize& size, std::uint64_t seed);

}  // namespace steper::synthetic
