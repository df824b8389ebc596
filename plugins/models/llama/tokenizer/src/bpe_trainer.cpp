#include <algorithm>
#include <queue>
#include <set>
#include <stdexcept>
#include <unordered_map>

#include "added_token_matcher.hpp"
#include "bpe_tokenizer.hpp"
#include "byte_level.hpp"
#include "regex_splitter.hpp"
#include "tokenizer_impl.hpp"
#include "utf8.hpp"

namespace steper::bpe {
namespace {

using PairKey = std::uint64_t;  // (left id, right id), ordered as the pair is

PairKey pair_key(std::int32_t left, std::int32_t right) {
  return (PairKey{static_cast<std::uint32_t>(left)} << 32) | static_cast<std::uint32_t>(right);
}

struct Candidate {
  std::int64_t count;
  PairKey pair;
};

// The most frequent pair first; among equals, the pair of smaller ids (Hugging Face's order).
struct FewerOrLater {
  bool operator()(const Candidate& a, const Candidate& b) const {
    return a.count != b.count ? a.count < b.count : a.pair > b.pair;
  }
};

void check_options(const BpeTrainOptions& options) {
  const auto fail = [](const std::string& message) {
    throw std::invalid_argument("train_bpe: " + message);
  };
  std::set<std::string> seen;
  for (const std::string& token : options.special_tokens) {
    if (token.empty()) fail("special_tokens holds an empty token");
    if (!is_valid_utf8(token)) fail("special token \"" + token + "\" is not valid UTF-8");
    if (!seen.insert(token).second) fail("special token \"" + token + "\" is listed twice");
  }
  const auto needed = static_cast<long long>(options.special_tokens.size()) + 256;
  if (options.vocab_size < needed) {
    fail("vocab_size " + std::to_string(options.vocab_size) + " is below the " +
         std::to_string(needed) + " ids that the " + std::to_string(options.special_tokens.size()) +
         " special tokens and the 256 bytes take");
  }
  if (options.bos_token && seen.count(*options.bos_token) == 0) {
    fail("bos_token \"" + *options.bos_token + "\" is not one of special_tokens");
  }
  if (options.min_frequency < 1) {
    fail("min_frequency must be at least 1, got " + std::to_string(options.min_frequency));
  }
}

// How often each pre-token occurs, special tokens left out; sorted by bytes.
std::vector<std::pair<std::string, std::int64_t>> count_words(const std::vector<std::string>& texts,
                                                              const BpeTrainOptions& options) {
  std::vector<AddedToken> specials;
  for (const std::string& token : options.special_tokens) {
    specials.push_back({static_cast<std::int32_t>(specials.size()), token, false, false, false,
                        false, true});
  }
  const AddedTokenMatcher matcher(specials, options.special_tokens);
  RegexSplitter split = [&] {
    try {
      return RegexSplitter::regex(options.split_pattern);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("train_bpe: split_pattern: " + std::string(e.what()));
    }
  }();
  std::unordered_map<std::string, std::int64_t> counts;
  std::vector<Segment> segments;
  std::vector<std::string_view> pieces;
  std::string repaired;
  for (std::string_view text : texts) {
    if (!is_valid_utf8(text)) {
      repaired.clear();
      append_repaired_utf8(repaired, text);
      text = repaired;
    }
    segments.clear();
    matcher.split(text, segments);
    for (const Segment& segment : segments) {
      if (segment.token_id >= 0) continue;
      pieces.clear();
      split.split(segment.text, pieces);
      for (const std::string_view piece : pieces) ++counts[std::string(piece)];
    }
  }
  std::vector<std::pair<std::string, std::int64_t>> words(counts.begin(), counts.end());
  std::sort(words.begin(), words.end());
  return words;
}

class MergeLearner {
 public:
  MergeLearner(const BpeTrainOptions& options,
               const std::vector<std::pair<std::string, std::int64_t>>& words)
      : options_(options) {
    for (const std::string& token : options.special_tokens) add_token(token);
    std::array<std::int32_t, 256> byte_id{};
    for (const unsigned char byte : bytes_in_alphabet_order()) {
      byte_id[byte] = add_token(to_byte_level(std::string(1, static_cast<char>(byte))));
    }
    for (const auto& [word, count] : words) {
      std::vector<std::int32_t> symbols;
      for (const char c : word) symbols.push_back(byte_id[static_cast<unsigned char>(c)]);
      symbols_.push_back(std::move(symbols));
      frequency_.push_back(count);
    }
  }

  void learn() {
    for (std::uint32_t w = 0; w < symbols_.size(); ++w) {
      const auto& s = symbols_[w];
      for (std::size_t i = 0; i + 1 < s.size(); ++i) {
        const PairKey key = pair_key(s[i], s[i + 1]);
        pair_count_[key] += frequency_[w];
        note_word(key, w);
      }
    }
    for (const auto& [pair, count] : pair_count_) queue_.push({count, pair});

    while (static_cast<long long>(token_of_id_.size()) < options_.vocab_size && !queue_.empty()) {
      const Candidate top = queue_.top();
      queue_.pop();
      const std::int64_t current = pair_count_[top.pair];
      if (current != top.count) {  // stale: the count changed since this entry was queued
        if (current > 0) queue_.push({current, top.pair});
        continue;
      }
      if (current < options_.min_frequency) break;
      merge(top.pair);
    }
  }

  TokenizerSpec spec() const {
    TokenizerSpec spec;
    for (std::size_t i = 0; i < options_.special_tokens.size(); ++i) {
      spec.added_tokens.push_back({static_cast<std::int32_t>(i), options_.special_tokens[i], false,
                                   false, false, false, true});
    }
    spec.pre_tokenizer.splits.push_back({options_.split_pattern, true});
    spec.pre_tokenizer.byte_level = {false, true, false};
    spec.pre_tokenizer.is_sequence = true;
    spec.decoder = {true, true, true};
    PostProcessorStep byte_level;
    byte_level.byte_level = {true, false, true};
    spec.post_processor.steps.push_back(byte_level);
    if (options_.bos_token) {
      const std::string& bos = *options_.bos_token;
      const auto id = static_cast<std::int32_t>(
          std::find(options_.special_tokens.begin(), options_.special_tokens.end(), bos) -
          options_.special_tokens.begin());
      PostProcessorStep bos_template;
      bos_template.kind = PostProcessorStep::Kind::template_processing;
      bos_template.single = {{false, bos, 0}, {true, "A", 0}};
      bos_template.pair = {{false, bos, 0}, {true, "A", 0}, {false, bos, 1}, {true, "B", 1}};
      bos_template.special_tokens = {{bos, {id}, {bos}}};
      spec.post_processor.steps.push_back(bos_template);
      spec.post_processor.is_sequence = true;
    }
    for (std::size_t id = 0; id < token_of_id_.size(); ++id) {
      spec.model.vocab.emplace_back(token_of_id_[id], static_cast<std::int32_t>(id));
    }
    spec.model.merges = merges_;
    return spec;
  }

 private:
  std::int32_t add_token(const std::string& token) {
    const auto [it, added] =
        id_of_token_.emplace(token, static_cast<std::int32_t>(token_of_id_.size()));
    if (added) token_of_id_.push_back(token);
    return it->second;
  }

  void note_word(PairKey pair, std::uint32_t word) {
    auto& words = words_with_pair_[pair];
    if (words.empty() || words.back() != word) words.push_back(word);
  }

  // Joins every occurrence of `pair`, left to right, in the words that hold it.
  void merge(PairKey pair) {
    const auto left = static_cast<std::int32_t>(pair >> 32);
    const auto right = static_cast<std::int32_t>(pair & 0xFFFFFFFFu);
    merges_.emplace_back(token_of_id_[left], token_of_id_[right]);
    const std::int32_t merged = add_token(token_of_id_[left] + token_of_id_[right]);

    std::unordered_map<PairKey, std::int64_t> change;
    std::vector<std::int32_t> joined;
    const std::vector<std::uint32_t> words = std::move(words_with_pair_[pair]);
    words_with_pair_.erase(pair);
    for (const std::uint32_t w : words) {
      auto& s = symbols_[w];
      joined.clear();
      for (std::size_t i = 0; i < s.size(); ++i) {
        if (i + 1 < s.size() && s[i] == left && s[i + 1] == right) {
          joined.push_back(merged);
          ++i;
        } else {
          joined.push_back(s[i]);
        }
      }
      if (joined.size() == s.size()) continue;  // listed before an earlier merge took the pair
      for (std::size_t i = 0; i + 1 < s.size(); ++i) change[pair_key(s[i], s[i + 1])] -= frequency_[w];
      for (std::size_t i = 0; i + 1 < joined.size(); ++i) {
        const PairKey key = pair_key(joined[i], joined[i + 1]);
        change[key] += frequency_[w];
        note_word(key, w);
      }
      s.swap(joined);
    }
    for (const auto& [key, delta] : change) {
      if (delta == 0) continue;
      const std::int64_t count = pair_count_[key] += delta;
      if (delta > 0) queue_.push({count, key});
    }
  }

  const BpeTrainOptions& options_;
  std::vector<std::string> token_of_id_;  // byte-level spelling
  std::unordered_map<std::string, std::int32_t> id_of_token_;
  std::vector<std::pair<std::string, std::string>> merges_;
  std::vector<std::vector<std::int32_t>> symbols_;  // of each distinct word
  std::vector<std::int64_t> frequency_;             // of each distinct word
  std::unordered_map<PairKey, std::int64_t> pair_count_;
  std::unordered_map<PairKey, std::vector<std::uint32_t>> words_with_pair_;
  std::priority_queue<Candidate, std::vector<Candidate>, FewerOrLater> queue_;
};

}  // namespace

Tokenizer train_bpe(const std::vector<std::string>& texts, const BpeTrainOptions& options) {
  check_options(options);
  MergeLearner learner(options, count_words(texts, options));
  learner.learn();
  return make_tokenizer(learner.spec());
}

}  // namespace steper::bpe
