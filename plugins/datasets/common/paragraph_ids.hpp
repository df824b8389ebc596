// How the readers name context paragraphs: either they collect the corpus from the contexts
// (IRCoT's corpus for 2Wiki and MuSiQue, the default for HotpotQA), or they look paragraphs
// up by title in an external corpus.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "steper/types.hpp"

namespace steper::datasets {

// A stable id from a paragraph's content: 16 hex digits of the 64-bit FNV-1a of title, NUL, text.
std::string content_id(std::string_view title, std::string_view text);

class ParagraphIds {
 public:
  virtual ~ParagraphIds() = default;
  // The id of the context paragraph (title, text).
  virtual std::string id_of(std::string_view title, std::string_view text) = 0;
};

// Collects the de-duplicated union of the context paragraphs, in order of first appearance.
class ContextCorpus : public ParagraphIds {
 public:
  // by_title: one paragraph per title, the title is its id (the first text seen wins);
  // otherwise one per distinct (title, text), with content_id() as id.
  explicit ContextCorpus(bool by_title) : by_title_(by_title) {}
  std::string id_of(std::string_view title, std::string_view text) override;
  std::vector<Paragraph> take() { return std::move(paragraphs_); }

 private:
  bool by_title_;
  std::vector<Paragraph> paragraphs_;
  std::unordered_map<std::string, std::size_t> by_title_index_;
  std::unordered_map<std::uint64_t, std::size_t> by_content_index_;
};

// Names context paragraphs by the id of the external corpus paragraph with the same title and
// text or, failing that, the only one with the same title (HotpotQA's contexts are abridged
// abstracts; MuSiQue repeats titles, so an ambiguous title matches nothing).
class ExternalCorpusIds : public ParagraphIds {
 public:
  explicit ExternalCorpusIds(const std::vector<Paragraph>& corpus);  // kept by reference
  // A paragraph the corpus lacks keeps its title as id and is counted.
  std::string id_of(std::string_view title, std::string_view text) override;
  std::size_t unmatched() const { return unmatched_; }

 private:
  static constexpr std::size_t kAmbiguous = static_cast<std::size_t>(-1);
  const std::vector<Paragraph>& corpus_;
  std::unordered_map<std::uint64_t, std::size_t> by_content_;     // first paragraph of each content hash
  std::unordered_map<std::string_view, std::size_t> by_title_;    // views into corpus_; kAmbiguous if repeated
  std::size_t unmatched_ = 0;
};

// A corpus JSONL file of {"id", "title", "text"} lines; ids must be unique.
std::vector<Paragraph> read_corpus_jsonl(const std::string& path);

}  // namespace steper::datasets
