#include "added_token_matcher.hpp"

#include <algorithm>

#include "utf8.hpp"

namespace steper::bpe {
namespace {

bool white_space_before(std::string_view text, std::size_t pos) {
  if (pos == 0) return true;
  return is_white_space(previous_code_point(text, pos));
}

bool white_space_after(std::string_view text, std::size_t pos) {
  if (pos == text.size()) return true;
  return is_white_space(next_code_point(text, pos));
}

}  // namespace

AddedTokenMatcher::AddedTokenMatcher(std::vector<AddedToken> tokens,
                                     const std::vector<std::string>& forms)
    : tokens_(std::move(tokens)) {
  nodes_.emplace_back();
  root_children_.fill(-1);
  for (std::size_t t = 0; t < tokens_.size(); ++t) {
    std::int32_t node = 0;
    for (const char c : forms[t]) {
      const auto byte = static_cast<unsigned char>(c);
      std::int32_t next = child(node, byte);
      if (next < 0) {
        next = static_cast<std::int32_t>(nodes_.size());
        nodes_.emplace_back();
        if (node == 0) {
          root_children_[byte] = next;
        } else {
          auto& children = nodes_[node].children;
          const auto at = std::lower_bound(children.begin(), children.end(),
                                           std::make_pair(byte, std::int32_t{-1}));
          children.insert(at, {byte, next});
        }
      }
      node = next;
    }
    if (node != 0) nodes_[node].token = static_cast<std::int32_t>(t);
  }
}

std::int32_t AddedTokenMatcher::child(std::int32_t node, unsigned char byte) const {
  if (node == 0) return root_children_[byte];
  const auto& children = nodes_[node].children;
  const auto at = std::lower_bound(children.begin(), children.end(),
                                   std::make_pair(byte, std::int32_t{-1}));
  return at != children.end() && at->first == byte ? at->second : -1;
}

std::int32_t AddedTokenMatcher::longest_at(std::string_view text, std::size_t pos,
                                           std::size_t& end) const {
  std::int32_t found = -1;
  std::int32_t node = 0;
  for (std::size_t i = pos; i < text.size(); ++i) {
    node = child(node, static_cast<unsigned char>(text[i]));
    if (node < 0) break;
    if (nodes_[node].token >= 0) {
      found = nodes_[node].token;
      end = i + 1;
    }
  }
  return found;
}

void AddedTokenMatcher::split(std::string_view text, std::vector<Segment>& out) const {
  std::size_t stretch_start = 0;  // where the text not yet handed out begins
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (root_children_[static_cast<unsigned char>(text[pos])] < 0) {
      ++pos;
      continue;
    }
    std::size_t end = pos;
    const std::int32_t found = longest_at(text, pos, end);
    if (found < 0) {
      ++pos;
      continue;
    }
    const AddedToken& token = tokens_[found];
    if (token.single_word && !(white_space_before(text, pos) && white_space_after(text, end))) {
      pos = end;  // like Hugging Face: the rejected match is not searched again
      continue;
    }
    std::size_t start = pos;
    if (token.lstrip) {
      while (start > stretch_start) {
        std::size_t before = start;
        if (!is_white_space(previous_code_point(text, before))) break;
        start = before;
      }
    }
    if (token.rstrip) {
      while (end < text.size()) {
        std::size_t after = end;
        if (!is_white_space(next_code_point(text, after))) break;
        end = after;
      }
    }
    if (start > stretch_start) out.push_back({text.substr(stretch_start, start - stretch_start)});
    out.push_back({text.substr(start, end - start), token.id});
    stretch_start = pos = end;
  }
  if (stretch_start < text.size()) out.push_back({text.substr(stretch_start)});
}

}  // namespace steper::bpe
