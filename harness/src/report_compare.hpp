// `steper report --compare`: pairs of a report's rows compared on the same questions and seeds.
#pragma once

#include <string>
#include <vector>

#include "report_table.hpp"

namespace steper::report {

// One line per compared pair of rows and column group (see ReportSpec::comparisons), none
// without comparisons. Throws std::runtime_error when a comparison names no row key or finds
// no rows to compare, and when compared cells hold different questions.
std::vector<std::string> comparison_lines(const Table& table, const ReportSpec& spec);

}  // namespace steper::report
