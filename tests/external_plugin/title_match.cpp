// A retriever built out of tree against the installed steper package. A paragraph scores the
// number of distinct query words found among its title's words; ties go to the lower doc.
// Index file `titles.txt`: the lower-cased title of each paragraph, one per line, in corpus order.
#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "steper/retriever.hpp"

namespace {

constexpr const char* kIndexFile = "titles.txt";

std::string lower_case(const std::string& text) {
  std::string lowered;
  for (const char c : text) lowered += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lowered;
}

// Distinct lower-case alphanumeric words.
std::set<std::string> words_of(std::string_view text) {
  std::set<std::string> words;
  std::string word;
  for (const char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!word.empty()) {
      words.insert(word);
      word.clear();
    }
  }
  if (!word.empty()) words.insert(word);
  return words;
}

class TitleMatch : public steper::Retriever {
 public:
  TitleMatch(steper::Settings&, steper::PluginContext&) {}

  void index_build(const steper::Corpus& corpus, const std::string& dir) override {
    const std::string path = dir + "/" + kIndexFile;
    std::ofstream out(path);
    title_words_.clear();
    for (const auto& paragraph : corpus.paragraphs()) {
      std::string title = lower_case(paragraph.title);
      std::replace(title.begin(), title.end(), '\n', ' ');
      out << title << '\n';
      title_words_.push_back(words_of(title));
    }
    out.close();
    if (!out) throw std::runtime_error("title_match: cannot write the index file '" + path + "'");
  }

  void index_load(const steper::Corpus& corpus, const std::string& dir) override {
    const std::string path = dir + "/" + kIndexFile;
    std::ifstream in(path);
    if (!in) throw std::runtime_error("title_match: cannot open the index file '" + path + "'");
    title_words_.clear();
    for (std::string title; std::getline(in, title);) title_words_.push_back(words_of(title));
    if (title_words_.size() != corpus.size())
      throw std::runtime_error("title_match: index file '" + path + "' has " + std::to_string(title_words_.size()) +
                               " titles, but the corpus has " + std::to_string(corpus.size()) + " paragraphs");
  }

  std::vector<steper::RetrievalHit> search(std::string_view query, int k) override {
    const auto query_words = words_of(query);
    std::vector<steper::RetrievalHit> hits;
    for (std::size_t doc = 0; doc < title_words_.size(); ++doc) {
      const auto matches = std::count_if(query_words.begin(), query_words.end(),
                                         [&](const std::string& word) { return title_words_[doc].count(word) != 0; });
      if (matches > 0) hits.push_back({doc, static_cast<double>(matches)});
    }
    // stable_sort keeps doc order among equal scores.
    std::stable_sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) { return a.score > b.score; });
    hits.resize(std::min(hits.size(), static_cast<std::size_t>(std::max(k, 0))));
    return hits;
  }

 private:
  std::vector<std::set<std::string>> title_words_;  // per doc
};

}  // namespace

STEPER_PLUGIN(Retriever, "title_match", "1.0.0", TitleMatch)
