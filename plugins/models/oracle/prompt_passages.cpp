#include "prompt_passages.hpp"

#include <algorithm>
#include <string_view>

namespace steper::oracle {
namespace {

constexpr std::string_view kTitleLabel = "Wikipedia Title: ";

struct Block {
  std::string title;
  std::string text;
};

std::vector<Block> blocks(const std::string& prompt) {
  std::vector<Block> out;
  for (std::size_t at = prompt.find(kTitleLabel); at != std::string::npos; at = prompt.find(kTitleLabel, at + 1)) {
    if (at != 0 && prompt[at - 1] != '\n') continue;
    const std::size_t title_start = at + kTitleLabel.size();
    const std::size_t title_end = std::min(prompt.find('\n', title_start), prompt.size());
    const std::size_t text_start = std::min(title_end + 1, prompt.size());
    const std::size_t text_end = std::min(prompt.find("\n\n", text_start), prompt.size());
    out.push_back({prompt.substr(title_start, title_end - title_start), prompt.substr(text_start, text_end - text_start)});
  }
  return out;
}

}  // namespace

std::vector<PromptPassage> prompt_passages(const std::string& prompt, const std::vector<std::string>& ids) {
  const std::vector<Block> found = blocks(prompt);
  if (found.size() < ids.size())
    throw OracleError("oracle: the prompt shows " + std::to_string(found.size()) + " '" + std::string(kTitleLabel) +
                      "' blocks for the " + std::to_string(ids.size()) +
                      " passage ids of the request; the oracle reads passages in that format only");
  std::vector<PromptPassage> passages;
  const std::size_t first = found.size() - ids.size();
  for (std::size_t i = 0; i < ids.size(); ++i) passages.push_back({ids[i], found[first + i].title, found[first + i].text});
  return passages;
}

}  // namespace steper::oracle
