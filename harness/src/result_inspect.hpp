// `steper inspect RESULT.h5 --question ID`: the trajectories a result file stores for a question.
#pragma once

#include <ostream>
#include <string>

namespace steper {

// Prints the question's evaluated trajectory (with its gold answers and scores) and its teacher
// trajectory (with the filter's verdict), whichever the file holds. Throws std::runtime_error
// naming the file when it holds neither, or stores no trajectories (format 2).
void inspect_result_file(const std::string& path, const std::string& question_id, std::ostream& out);

}  // namespace steper
