// `steper report`'s table drawn as text: Markdown (aligned, "mean ± std"), LaTeX (booktabs,
// a spanning header per column group) or CSV (one line per entry, for analysis scripts).
#pragma once

#include <string>

#include "report_table.hpp"

namespace steper::report {

std::string render_markdown(const Table& table);
std::string render_latex(const Table& table);
std::string render_csv(const Table& table);

}  // namespace steper::report
