// Writes each entity's paragraph: its facts in varied sentence templates, the first sentence
// naming the entity, the others in a random order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "steper/types.hpp"
#include "world.hpp"

namespace steper::synthetic {

// The paragraph id of entity `index`.
std::string paragraph_id(std::size_t index);
// One paragraph per entity, in entity order; deterministic for a seed.
std::vector<Paragraph> write_paragraphs(const World& world, std::uint64_t seed);

}  // namespace steper::synthetic
