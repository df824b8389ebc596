// What the framework and oracle tests share: a scratch folder, plugins made through the host's
// loader from TOML text, a scripted model, a retriever with fixed hits and a word-overlap one.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "config.hpp"
#include "plugin_loader.hpp"
#include "run_log.hpp"
#include "steper/framework.hpp"
#include "steper/model.hpp"
#include "steper/retriever.hpp"

namespace steper::testing {

class TemporaryFolder {
 public:
  TemporaryFolder() {
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() / ("steper-fw-test-" + std::to_string(random()) + std::to_string(random()));
    std::filesystem::create_directories(path_);
  }
  ~TemporaryFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string path() const { return path_.string(); }
  std::string write(const std::string& name, const std::string& text) const {
    const auto file = path_ / name;
    std::ofstream(file) << text;
    return file.string();
  }

 private:
  std::filesystem::path path_;
};

// Makes plugins of the build's plugin folder from a TOML table, as the host does.
class PluginMaker {
 public:
  template <class T>
  std::unique_ptr<T> make(const std::string& table, const std::string& name, const std::string& keys) {
    const std::string path = scratch.write("experiment.toml", "[" + table + "]\nname = \"" + name + "\"\n" + keys);
    cells_.push_back(std::make_unique<Cell>(Experiment::load(path).cells().front()));
    Settings settings = cells_.back()->settings(table);
    return registry_.create<T>(settings.require<std::string>("name"), settings, context_);
  }

  // The ConfigError message of making the plugin, or "(no error)".
  template <class T>
  std::string config_error(const std::string& table, const std::string& name, const std::string& keys) {
    try {
      make<T>(table, name, keys);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "(no error)";
  }

  TemporaryFolder scratch;

 private:
  PluginRegistry registry_{{STEPER_FRAMEWORK_PLUGIN_DIR}};
  RunLog log_;
  HostContext context_{log_, 7, "cpu", scratch.path()};
  std::vector<std::unique_ptr<Cell>> cells_;
};

inline GenerationResult text_result(const std::string& text) {
  GenerationResult result;
  result.text = text;
  result.finish_reason = "stop";
  return result;
}

inline GenerationResult error_result(const std::string& why) {
  GenerationResult result;
  result.finish_reason = "error";
  result.error = why;
  return result;
}

// Answers each request by a function of it, and keeps every batch it was given.
class ScriptedModel : public Model {
 public:
  using Script = std::function<GenerationResult(const GenerationRequest&)>;
  explicit ScriptedModel(Script script) : script_(std::move(script)) {}

  // Canned outputs per question id, indexed by the number of earlier outputs (request.gold.previous).
  static ScriptedModel canned(std::map<std::string, std::vector<std::string>> outputs) {
    return ScriptedModel([outputs = std::move(outputs)](const GenerationRequest& request) {
      const auto& list = outputs.at(request.gold.question->id);
      const std::size_t call = request.gold.previous.size();
      return text_result(call < list.size() ? list[call] : "");
    });
  }

  std::vector<GenerationResult> generate(const std::vector<GenerationRequest>& requests) override {
    batches.push_back(requests);
    std::vector<GenerationResult> results;
    for (const auto& request : requests) {
      GenerationResult result = script_(request);
      result.prompt_tokens = count_tokens(request.prompt);
      results.push_back(std::move(result));
    }
    return results;
  }

  int count_tokens(const std::string& text) override {
    int words = 0;
    for (std::size_t i = 0; i < text.size(); ++i)
      if (!std::isspace(static_cast<unsigned char>(text[i])) && (i == 0 || std::isspace(static_cast<unsigned char>(text[i - 1]))))
        ++words;
    return words;
  }

  std::vector<std::vector<GenerationRequest>> batches;

 private:
  Script script_;
};

// Returns the hits listed for a query (none for others); throws for queries listed in `fail_on`.
class FixedRetriever : public Retriever {
 public:
  void index_build(const Corpus&, const std::string&) override {}
  void index_load(const Corpus&, const std::string&) override {}

  std::vector<RetrievalHit> search(std::string_view query, int k) override {
    searched.emplace_back(query);
    if (fail_on.count(std::string(query))) throw std::runtime_error("no index for '" + std::string(query) + "'");
    const auto it = hits.find(std::string(query));
    if (it == hits.end()) return {};
    return {it->second.begin(), it->second.begin() + std::min<std::size_t>(k, it->second.size())};
  }

  std::vector<std::vector<RetrievalHit>> search_batch(const std::vector<std::string>& queries, int k) override {
    ++batch_calls;
    std::vector<std::vector<RetrievalHit>> out;
    for (const auto& query : queries) out.push_back(search(query, k));
    return out;
  }

  std::map<std::string, std::vector<RetrievalHit>> hits;
  std::set<std::string> fail_on;
  std::vector<std::string> searched;
  int batch_calls = 0;
};

// Scores paragraphs by the summed idf of the query words they contain (title and text).
class OverlapRetriever : public Retriever {
 public:
  void index_build(const Corpus& corpus, const std::string&) override { index_load(corpus, ""); }
  void index_load(const Corpus& corpus, const std::string&) override {
    words_.clear();
    std::map<std::string, int> df;
    for (const auto& paragraph : corpus.paragraphs()) {
      words_.push_back(words(paragraph.title + " " + paragraph.text));
      for (const auto& word : words_.back()) ++df[word];
    }
    for (const auto& [word, count] : df) idf_[word] = std::log(1.0 + corpus.size() / static_cast<double>(count));
  }

  std::vector<RetrievalHit> search(std::string_view query, int k) override {
    const std::set<std::string> terms = words(std::string(query));
    std::vector<RetrievalHit> hits;
    for (std::size_t doc = 0; doc < words_.size(); ++doc) {
      double score = 0;
      for (const auto& term : terms)
        if (words_[doc].count(term)) score += idf_[term];
      if (score > 0) hits.push_back({doc, score});
    }
    std::stable_sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) { return a.score > b.score; });
    if (hits.size() > static_cast<std::size_t>(k)) hits.resize(k);
    return hits;
  }

 private:
  static std::set<std::string> words(const std::string& text) {
    static const std::set<std::string> stop = {"the", "a", "an", "of", "in", "is", "was", "who", "what", "where",
                                               "when", "which", "by", "to", "and", "or", "it", "its"};
    std::set<std::string> out;
    std::string word;
    for (const char c : text + " ") {
      if (std::isalnum(static_cast<unsigned char>(c))) {
        word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      } else if (!word.empty()) {
        if (!stop.count(word)) out.insert(word);
        word.clear();
      }
    }
    return out;
  }

  std::vector<std::set<std::string>> words_;
  std::map<std::string, double> idf_;
};

// A small world: a film, its director, his birthplace and distractors.
inline Corpus heat_corpus() {
  return Corpus({
      {"p0", "Heat", "Heat is a 1995 crime film. It was directed by Michael Mann."},
      {"p1", "Michael Mann", "Michael Mann (born 1943) is a director. Michael Mann was born in Chicago."},
      {"p2", "Chicago", "Chicago is a city in Illinois. It lies on Lake Michigan."},
      {"p3", "Heat (band)", "Heat is a band. It was formed in Berlin."},
      {"p4", "Manny Ramirez", "Manny Ramirez was born in Santo Domingo."},
  });
}

inline Question heat_question() {
  Question question;
  question.id = "q_heat";
  question.text = "Where was the director of Heat born?";
  question.answers = {"Chicago"};
  question.decomposition = {{"Who directed Heat?", "Michael Mann", "p0"},
                            {"Where was Michael Mann born?", "Chicago", "p1"}};
  question.supporting_paragraph_ids = {"p0", "p1"};
  question.type = "compositional";
  question.hops = 2;
  return question;
}

}  // namespace steper::testing
