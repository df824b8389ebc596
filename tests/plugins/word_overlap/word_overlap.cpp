// A plain word-overlap retriever with a real on-disk inverted index. A document scores the
// sum over distinct query words it contains of idf = ln(1 + N/df); ties go to the lower doc.
// Optional `stopwords`: a file of words (one per line) left out of the index and the queries;
// it is the retriever's own file, so fingerprint() names it and an edit rebuilds the index.
//
// Index file `postings.txt` (text; terms are lower-case [a-z0-9]+, so spaces separate fields):
//   word_overlap postings v1
//   documents <N>
//   terms <T>
//   <term> <df> <doc> <doc> ...      (T lines, doc positions ascending)
#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "steper/fingerprint.hpp"
#include "steper/retriever.hpp"

namespace {

using steper::Corpus;
using steper::RetrievalHit;

constexpr const char* kIndexFile = "postings.txt";
constexpr const char* kFormatLine = "word_overlap postings v1";

// Distinct lower-case alphanumeric words, sorted.
std::set<std::string> words_of(std::string_view text) {
  std::set<std::string> words;
  std::string word;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte)) {
      word += static_cast<char>(std::tolower(byte));
    } else if (!word.empty()) {
      words.insert(word);
      word.clear();
    }
  }
  if (!word.empty()) words.insert(word);
  return words;
}

class WordOverlap : public steper::Retriever {
 public:
  WordOverlap(steper::Settings& settings, steper::PluginContext&)
      : min_score_(settings.get<double>("min_score", 0.0)), stopword_file_(settings.get<std::string>("stopwords", "")) {
    if (stopword_file_.empty()) return;
    std::ifstream in(stopword_file_);
    if (!in) settings.fail("stopwords", "a readable file of words, one per line");
    for (std::string word; std::getline(in, word);) stopwords_.insert(word);
  }

  std::string fingerprint() override { return stopword_file_.empty() ? "" : steper::file_fingerprint(stopword_file_); }

  void index_build(const Corpus& corpus, const std::string& dir) override {
    std::map<std::string, std::vector<std::size_t>> postings;  // ordered, so the file is stable
    for (std::size_t doc = 0; doc < corpus.size(); ++doc)
      for (const auto& word : words_of(corpus[doc].title + " " + corpus[doc].text))
        if (!stopwords_.count(word)) postings[word].push_back(doc);
    const std::string path = dir + "/" + kIndexFile;
    std::ofstream out(path);
    out << kFormatLine << "\ndocuments " << corpus.size() << "\nterms " << postings.size() << "\n";
    for (const auto& [term, docs] : postings) {
      out << term << ' ' << docs.size();
      for (const auto doc : docs) out << ' ' << doc;
      out << '\n';
    }
    out.close();
    if (!out) throw std::runtime_error("word_overlap: cannot write the index file '" + path + "'");
    document_count_ = corpus.size();
    postings_ = {postings.begin(), postings.end()};
  }

  void index_load(const Corpus& corpus, const std::string& dir) override {
    const std::string path = dir + "/" + kIndexFile;
    std::ifstream in(path);
    if (!in) throw std::runtime_error("word_overlap: cannot open the index file '" + path + "'");
    auto bad = [&](const std::string& what) {
      return std::runtime_error("word_overlap: index file '" + path + "' " + what);
    };
    std::string format, label;
    std::size_t documents = 0, terms = 0;
    std::getline(in, format);
    if (format != kFormatLine) throw bad("does not start with '" + std::string(kFormatLine) + "'");
    if (!(in >> label >> documents) || label != "documents") throw bad("has no 'documents <N>' line");
    if (documents != corpus.size())
      throw bad("indexes " + std::to_string(documents) + " documents, but the corpus has " +
                std::to_string(corpus.size()));
    if (!(in >> label >> terms) || label != "terms") throw bad("has no 'terms <T>' line");
    std::unordered_map<std::string, std::vector<std::size_t>> postings;
    for (std::size_t t = 0; t < terms; ++t) {
      std::string term;
      std::size_t df = 0;
      if (!(in >> term >> df)) throw bad("ends after " + std::to_string(t) + " of " + std::to_string(terms) + " terms");
      if (df > documents) throw bad("says term '" + term + "' is in more documents than it indexes");
      auto& docs = postings[term];
      docs.resize(df);
      for (auto& doc : docs)
        if (!(in >> doc) || doc >= documents) throw bad("has a bad posting list for term '" + term + "'");
    }
    document_count_ = documents;
    postings_ = std::move(postings);
  }

  std::vector<RetrievalHit> search(std::string_view query, int k) override {
    std::unordered_map<std::size_t, double> scores;  // doc -> score, for docs sharing a word
    for (const auto& word : words_of(query)) {
      if (stopwords_.count(word)) continue;
      const auto it = postings_.find(word);
      if (it == postings_.end()) continue;
      const double idf = std::log(1.0 + static_cast<double>(document_count_) / static_cast<double>(it->second.size()));
      for (const auto doc : it->second) scores[doc] += idf;
    }
    std::vector<RetrievalHit> hits;
    for (const auto& [doc, score] : scores)
      if (score > min_score_) hits.push_back({doc, score});
    const auto better = [](const RetrievalHit& a, const RetrievalHit& b) {
      return a.score != b.score ? a.score > b.score : a.doc < b.doc;
    };
    const auto keep = std::min(hits.size(), static_cast<std::size_t>(std::max(k, 0)));
    std::partial_sort(hits.begin(), hits.begin() + keep, hits.end(), better);
    hits.resize(keep);
    return hits;
  }

 private:
  double min_score_;  // hits must score above this
  std::string stopword_file_;
  std::set<std::string> stopwords_;
  std::size_t document_count_ = 0;
  std::unordered_map<std::string, std::vector<std::size_t>> postings_;  // term -> docs containing it
};

}  // namespace

STEPER_PLUGIN(Retriever, "word_overlap", "1.0.0", WordOverlap)
