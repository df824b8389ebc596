// Text from files (result files, datasets, model output) made safe to print on a terminal:
// control characters would otherwise move the cursor, clear the screen or retitle the window.
#pragma once

#include <string>
#include <string_view>

namespace steper {

// `text` with every ASCII control character and DEL written as \xNN (\n as \n and \t as \t
// where `keep_lines` is true). UTF-8 above ASCII is kept.
std::string printable(std::string_view text, bool keep_lines = false);

}  // namespace steper
