// The passages of a prompt, read back from its "Wikipedia Title: <title>\n<text>" blocks: the
// oracle is given passage ids, but the text it may use is what the prompt shows (cut to the
// framework's word limit). Demonstrations come first, so the last blocks are the question's.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace steper::oracle {

class OracleError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PromptPassage {
  std::string id;
  std::string title;
  std::string text;
};

// The last ids.size() blocks of the prompt, paired with ids in order; throws OracleError when
// the prompt has fewer blocks.
std::vector<PromptPassage> prompt_passages(const std::string& prompt, const std::vector<std::string>& ids);

}  // namespace steper::oracle
