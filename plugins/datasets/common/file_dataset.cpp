#include "file_dataset.hpp"

#include <filesystem>

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <numeric>
#include <random>
#include <set>

#include "steper/context.hpp"
#include "steper/fingerprint.hpp"
#include "steper/settings.hpp"

namespace steper::datasets {

namespace {

constexpr Split kSplits[] = {Split::train, Split::dev, Split::test};

bool is_regular_file(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

// Questions the harness keys by id (predictions, the report's pairing of two methods) or can
// never score: warned about rather than refused, since public datasets hold a few.
void warn_about_questions(const std::vector<Question>& read, const std::string& where,
                          std::set<std::string>& earlier_splits_ids, PluginContext& context) {
  std::set<std::string> ids;
  std::size_t repeated = 0, shared = 0, unanswered = 0;
  std::string first_repeated, first_shared, first_unanswered;
  auto count = [](std::size_t& n, std::string& first, const std::string& id) {
    if (n++ == 0) first = id;
  };
  for (const Question& question : read) {
    if (!ids.insert(question.id).second) count(repeated, first_repeated, question.id);
    if (earlier_splits_ids.count(question.id) > 0) count(shared, first_shared, question.id);
    if (question.answers.empty()) count(unanswered, first_unanswered, question.id);
  }
  auto questions = [](std::size_t n, const char* verb_one, const char* verb_many) {
    return n == 1 ? std::string("1 question ") + verb_one : std::to_string(n) + " questions " + verb_many;
  };
  if (repeated > 0)
    context.warn(where + ": " + questions(repeated, "repeats", "repeat") + " the id of an earlier question (first: '" +
                 first_repeated + "'); predictions and paired comparisons key questions by id");
  if (shared > 0)
    context.warn(where + ": " + questions(shared, "shares its id", "share their ids") + " with a question of an earlier split (first: '" +
                 first_shared + "')");
  if (unanswered > 0)
    context.warn(where + ": " + questions(unanswered, "has", "have") + " no answer (first: '" + first_unanswered +
                 "'); never scored correct");
  earlier_splits_ids.insert(ids.begin(), ids.end());
}

}  // namespace

std::vector<std::size_t> subsample(std::size_t total, std::size_t n, std::uint64_t seed) {
  std::vector<std::size_t> order(total);
  std::iota(order.begin(), order.end(), std::size_t{0});
  if (n == 0 || n >= total) return order;
  // Our own shuffle: std::shuffle's draws differ between standard libraries.
  std::mt19937_64 rng(seed);
  for (std::size_t i = total - 1; i > 0; --i) std::swap(order[i], order[rng() % (i + 1)]);
  order.resize(n);
  std::sort(order.begin(), order.end());
  return order;
}

FileDataset::FileDataset(Settings& settings, PluginContext& context, std::string name, bool one_paragraph_per_title)
    : context_(context), name_(std::move(name)), one_paragraph_per_title_(one_paragraph_per_title) {
  for (Split split : kSplits) split_paths_[static_cast<int>(split)] = existing_file(settings, to_string(split));
  corpus_path_ = existing_file(settings, "corpus");
  const int n = settings.get<int>("n", 0);
  if (n < 0) settings.fail("n", "a non-negative number of questions per split (0 = all)");
  for (Split split : kSplits) {
    const std::string key = std::string("n_") + to_string(split);
    const int split_n = settings.get<int>(key, n);
    if (split_n < 0) settings.fail(key, "a non-negative number of questions (0 = all)");
    split_n_[static_cast<int>(split)] = split_n;
  }
  const std::int64_t seed = settings.get<std::int64_t>("seed", 0);
  if (seed < 0) settings.fail("seed", "a non-negative integer");
  seed_ = static_cast<std::uint64_t>(seed);
}

std::string FileDataset::existing_file(Settings& settings, const char* key) {
  const std::string path = settings.get_path(key, "");
  if (path.empty()) return path;
  if (!is_regular_file(path))
    settings.fail(key, "the path of an existing regular file (" +
                           std::string(std::filesystem::exists(path) ? "not a regular file" : "not found") + ": '" +
                           path + "')");
  fingerprinted_paths_.push_back(path);
  return path;
}

std::vector<Question> FileDataset::questions(Split split) {
  load();
  return questions_[static_cast<int>(split)];
}

std::vector<Paragraph> FileDataset::corpus() {
  load();
  return corpus_;
}

std::string FileDataset::fingerprint() {
  std::string text;
  for (const std::string& path : fingerprinted_paths_) text += steper::file_fingerprint(path);
  return text;
}

// Reads every split present: the corpus built from contexts is the union over all of them.
void FileDataset::load() {
  if (loaded_) return;
  questions_ = {};  // a failed earlier attempt may have left some splits
  std::unique_ptr<ParagraphIds> ids;
  ContextCorpus* context_corpus = nullptr;
  ExternalCorpusIds* external_ids = nullptr;
  if (!corpus_path_.empty()) {
    const auto start = std::chrono::steady_clock::now();
    corpus_ = read_corpus_jsonl(corpus_path_);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    context_.info(name_ + ": read " + std::to_string(corpus_.size()) + " corpus paragraphs from '" + corpus_path_ +
                  "' in " + std::to_string(seconds) + " s");
    ids = std::make_unique<ExternalCorpusIds>(corpus_);
    external_ids = static_cast<ExternalCorpusIds*>(ids.get());
  } else {
    ids = std::make_unique<ContextCorpus>(one_paragraph_per_title_);
    context_corpus = static_cast<ContextCorpus*>(ids.get());
  }
  std::set<std::string> earlier_splits_ids;
  for (Split split : kSplits) {
    const std::string& path = split_paths_[static_cast<int>(split)];
    if (path.empty()) continue;
    warnings_.clear();
    std::vector<Question> all = read_split(path, *ids);
    const std::string where = name_ + ": " + to_string(split) + " '" + path + "'";
    for (const std::string& line : warnings_.lines()) context_.warn(where + ": " + line);
    warn_about_questions(all, where, earlier_splits_ids, context_);
    std::vector<Question>& kept = questions_[static_cast<int>(split)];
    for (std::size_t index : subsample(all.size(), split_n_[static_cast<int>(split)], seed_))
      kept.push_back(std::move(all[index]));
    context_.info(name_ + ": " + to_string(split) + ": kept " + std::to_string(kept.size()) + " of " +
                  std::to_string(all.size()) + " questions from '" + path + "'");
  }
  if (context_corpus != nullptr) {
    corpus_ = context_corpus->take();
    context_.info(name_ + ": corpus of " + std::to_string(corpus_.size()) + " distinct context paragraphs");
  }
  if (external_ids != nullptr && external_ids->unmatched() > 0)
    context_.warn(name_ + ": " + std::to_string(external_ids->unmatched()) +
                  " context paragraphs match no corpus paragraph by content or unique title; their id is the title");
  loaded_ = true;
}

}  // namespace steper::datasets
