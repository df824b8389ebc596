#include "scoring.hpp"

#include <sstream>

namespace steper::bm25 {

const char* to_string(Variant variant) {
  for (const auto& entry : kVariants)
    if (entry.variant == variant) return entry.name;
  return "?";
}

bool variant_from_string(std::string_view name, Variant& variant) {
  for (const auto& entry : kVariants)
    if (name == entry.name) {
      variant = entry.variant;
      return true;
    }
  return false;
}

std::string variant_names() {
  std::string names;
  for (const auto& entry : kVariants) names += (names.empty() ? "" : ", ") + std::string(entry.name);
  return names;
}

double default_delta(Variant variant) {
  for (const auto& entry : kVariants)
    if (entry.variant == variant) return entry.default_delta;
  return 0.0;
}

bool variant_has_delta(Variant variant) { return default_delta(variant) != 0.0; }

std::string Parameters::describe() const {
  std::ostringstream out;
  out.precision(15);
  out << "k1=" << k1 << " b=" << b << " variant=" << to_string(variant) << " delta=" << delta;
  return out.str();
}

}  // namespace steper::bm25
