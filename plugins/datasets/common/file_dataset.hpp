// The part every file-backed dataset plugin shares: the split and corpus paths, subsampling,
// reading once on first use, and the fingerprint of the files.
//
// Settings: train, dev, test (paths, each optional); corpus (optional path of a JSONL
// {id, title, text} that replaces the corpus built from the contexts; see ExternalCorpusIds);
// n (questions kept per split, 0 = all) with n_train, n_dev, n_test overriding it for one split;
// seed (of the subsampling shuffle, default 0).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "paragraph_ids.hpp"
#include "read_warnings.hpp"
#include "steper/dataset.hpp"

namespace steper::datasets {

// The questions kept when subsampling `total` to `n` with `seed`: the first n of a seeded
// Fisher-Yates shuffle, returned in file order. n = 0 or n >= total keeps all.
std::vector<std::size_t> subsample(std::size_t total, std::size_t n, std::uint64_t seed);

class FileDataset : public Dataset {
 public:
  // one_paragraph_per_title: how the corpus is built from the contexts (see ContextCorpus).
  FileDataset(Settings& settings, PluginContext& context, std::string name, bool one_paragraph_per_title);

  std::vector<Question> questions(Split split) override;
  std::vector<Paragraph> corpus() override;
  std::string fingerprint() override;

 protected:
  // Reads one split's file, naming its paragraphs through `ids`; what it accepts but a user
  // should hear about goes to warnings(), which are printed after each split.
  virtual std::vector<Question> read_split(const std::string& path, ParagraphIds& ids) = 0;
  ReadWarnings& warnings() { return warnings_; }
  // An optional path setting that must name an existing file; recorded in the fingerprint.
  std::string existing_file(Settings& settings, const char* key);

 private:
  void load();

  PluginContext& context_;
  std::string name_;
  bool one_paragraph_per_title_;
  std::array<std::string, 3> split_paths_;  // by Split; empty when absent
  std::array<int, 3> split_n_{};            // questions kept per split, 0 = all
  std::string corpus_path_;
  std::uint64_t seed_ = 0;
  std::vector<std::string> fingerprinted_paths_;
  ReadWarnings warnings_;

  bool loaded_ = false;
  std::array<std::vector<Question>, 3> questions_;
  std::vector<Paragraph> corpus_;
};

}  // namespace steper::datasets
