#include "prompt_template.hpp"

#include <algorithm>
#include <cctype>

namespace steper::frameworks {
namespace {

// The placeholder name starting at text[at] == '{', or empty when none starts there.
std::string_view placeholder_at(std::string_view text, std::size_t at) {
  std::size_t end = at + 1;
  while (end < text.size() && (std::islower(static_cast<unsigned char>(text[end])) || text[end] == '_')) ++end;
  if (end == at + 1 || end >= text.size() || text[end] != '}') return {};
  return text.substr(at + 1, end - at - 1);
}

std::string braced_list(const std::vector<std::string>& names) {
  std::string list;
  for (const auto& name : names) list += (list.empty() ? "{" : ", {") + name + "}";
  return list;
}

}  // namespace

std::string template_problem(std::string_view text, const std::vector<std::string>& allowed,
                             const std::vector<std::string>& required) {
  std::vector<std::string> seen;
  for (std::size_t at = text.find('{'); at != std::string_view::npos; at = text.find('{', at + 1)) {
    const std::string name(placeholder_at(text, at));
    if (name.empty()) continue;
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end())
      return "unknown placeholder {" + name + "} (allowed: " + braced_list(allowed) + ")";
    seen.push_back(name);
  }
  for (const auto& name : required)
    if (std::find(seen.begin(), seen.end(), name) == seen.end()) return "no {" + name + "} placeholder";
  return {};
}

std::string fill_template(std::string_view text, const std::vector<std::pair<std::string, std::string>>& values) {
  std::string out;
  std::size_t copied = 0;
  for (std::size_t at = text.find('{'); at != std::string_view::npos; at = text.find('{', at + 1)) {
    const std::string_view name = placeholder_at(text, at);
    const auto value = std::find_if(values.begin(), values.end(), [&](const auto& entry) { return entry.first == name; });
    if (name.empty() || value == values.end()) continue;
    out.append(text.substr(copied, at - copied));
    out += value->second;
    copied = at + name.size() + 2;
    at = copied - 1;
  }
  out.append(text.substr(copied));
  return out;
}

}  // namespace steper::frameworks
