#include "paragraph_ids.hpp"

#include <cstdio>
#include <stdexcept>
#include <unordered_set>

#include "records.hpp"

namespace steper::datasets {

namespace {

std::uint64_t fnv1a(std::uint64_t hash, std::string_view bytes) {
  for (unsigned char c : bytes) hash = (hash ^ c) * 0x100000001b3ULL;
  return hash;
}

std::uint64_t content_hash(std::string_view title, std::string_view text) {
  return fnv1a(fnv1a(0xcbf29ce484222325ULL, title) * 0x100000001b3ULL, text);
}

std::string hex_id(std::uint64_t hash) {
  char digits[17];
  std::snprintf(digits, sizeof digits, "%016llx", static_cast<unsigned long long>(hash));
  return digits;
}

}  // namespace

std::string content_id(std::string_view title, std::string_view text) { return hex_id(content_hash(title, text)); }

std::string ContextCorpus::id_of(std::string_view title, std::string_view text) {
  if (by_title_) {
    auto [it, added] = by_title_index_.try_emplace(std::string(title), paragraphs_.size());
    if (added) paragraphs_.push_back({it->first, it->first, std::string(text)});
    return it->first;
  }
  const std::uint64_t hash = content_hash(title, text);
  auto [it, added] = by_content_index_.try_emplace(hash, paragraphs_.size());
  if (added) {
    paragraphs_.push_back({hex_id(hash), std::string(title), std::string(text)});
    return paragraphs_.back().id;
  }
  const Paragraph& known = paragraphs_[it->second];
  if (known.title != title || known.text != text)
    throw std::runtime_error("paragraph id collision: '" + known.title + "' and '" + std::string(title) +
                             "' have the same content hash " + known.id);
  return known.id;
}

ExternalCorpusIds::ExternalCorpusIds(const std::vector<Paragraph>& corpus) : corpus_(corpus) {
  by_content_.reserve(corpus.size());
  by_title_.reserve(corpus.size());
  for (std::size_t doc = 0; doc < corpus.size(); ++doc) {
    by_content_.try_emplace(content_hash(corpus[doc].title, corpus[doc].text), doc);
    auto [it, added] = by_title_.try_emplace(corpus[doc].title, doc);
    if (!added) it->second = kAmbiguous;
  }
}

std::string ExternalCorpusIds::id_of(std::string_view title, std::string_view text) {
  if (auto it = by_content_.find(content_hash(title, text)); it != by_content_.end()) {
    const Paragraph& paragraph = corpus_[it->second];
    if (paragraph.title == title && paragraph.text == text) return paragraph.id;
  }
  if (auto it = by_title_.find(title); it != by_title_.end() && it->second != kAmbiguous) return corpus_[it->second].id;
  ++unmatched_;
  return std::string(title);
}

std::vector<Paragraph> read_corpus_jsonl(const std::string& path) {
  std::vector<Paragraph> corpus;
  for_each_jsonl_record(path, [&](ondemand::object& record, JsonSource& source) {
    Paragraph paragraph;
    bool has_id = false, has_title = false, has_text = false;
    for_each_field(record, source, "paragraph", [&](std::string_view key, ondemand::value& value) {
      if (key == "id") {
        paragraph.id = std::string(source.string(value, "id"));
        has_id = true;
      } else if (key == "title") {
        paragraph.title = std::string(source.string(value, "title"));
        has_title = true;
      } else if (key == "text") {
        paragraph.text = std::string(source.string(value, "text"));
        has_text = true;
      }
    });
    if (!has_id) source.fail_missing("id");
    if (!has_title) source.fail_missing("title");
    if (!has_text) source.fail_missing("text");
    corpus.push_back(std::move(paragraph));
  });
  std::unordered_set<std::string_view> ids;
  for (const Paragraph& paragraph : corpus)
    if (!ids.insert(paragraph.id).second)
      throw std::runtime_error("'" + path + "': paragraph id '" + paragraph.id + "' appears more than once");
  return corpus;
}

}  // namespace steper::datasets
