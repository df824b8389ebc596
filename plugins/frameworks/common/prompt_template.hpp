// Prompt templates from the experiment file: text with {name} placeholders.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace steper::frameworks {

// What is wrong with a template: an unknown placeholder or a missing required one; empty when
// nothing is. `allowed` includes the required names.
std::string template_problem(std::string_view text, const std::vector<std::string>& allowed,
                             const std::vector<std::string>& required);

// The template with each {name} replaced by its value (single pass: values are not scanned).
std::string fill_template(std::string_view text, const std::vector<std::pair<std::string, std::string>>& values);

}  // namespace steper::frameworks
