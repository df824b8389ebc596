// steper data synth --out DIR [--set key=value ...]: the `synthetic` dataset written as MuSiQue
// JSONL (DIR/{train,dev,test}.jsonl) plus DIR/corpus.jsonl.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "command.hpp"
#include "config.hpp"
#include "musique_writer.hpp"
#include "plugin_loader.hpp"
#include "run_log.hpp"
#include "steper/dataset.hpp"
#include "steper/settings.hpp"

namespace steper::commands {
namespace {

namespace fs = std::filesystem;

// Each of `sets` is a key of the [dataset] table.
int data_synth(const std::string& out_dir, const std::vector<std::string>& sets) {
  // A one-table experiment file, so --set values are typed and located as `run` does it.
  std::string scratch = (fs::temp_directory_path() / "steper-synth-XXXXXX").string();
  if (!mkdtemp(scratch.data())) throw std::runtime_error("cannot create a folder like '" + scratch + "'");
  struct RemoveScratch {
    std::string path;
    ~RemoveScratch() { std::error_code ignored; fs::remove_all(path, ignored); }
  } remove_scratch{scratch};
  const std::string experiment_file = scratch + "/synth.toml";
  if (!(std::ofstream(experiment_file) << "[dataset]\nname = \"synthetic\"\n"))
    throw std::runtime_error("cannot write '" + experiment_file + "'");
  std::vector<std::string> overrides;
  for (const auto& set : sets) overrides.push_back("dataset." + set);
  const Cell cell = Experiment::load(experiment_file, overrides).cells().front();
  Settings table = cell.settings("dataset");
  const PluginRegistry registry(plugin_search_path({}));
  RunLog log;
  HostContext context(log, cell.seed(), "cpu", scratch);
  auto dataset = registry.create<Dataset>(table.require<std::string>("name"), table, context);

  fs::create_directories(out_dir);
  const Corpus corpus(dataset->corpus());
  const std::string corpus_file = (fs::path(out_dir) / "corpus.jsonl").string();
  write_corpus_file(corpus_file, corpus);
  std::printf("%zu paragraphs -> %s\n", corpus.size(), corpus_file.c_str());
  for (const Split split : {Split::train, Split::dev, Split::test}) {
    const auto questions = dataset->questions(split);
    const std::string file = (fs::path(out_dir) / (std::string(to_string(split)) + ".jsonl")).string();
    write_musique_file(file, questions, corpus);
    std::printf("%zu questions -> %s\n", questions.size(), file.c_str());
  }
  return 0;
}

}  // namespace

void add_data(CLI::App& app, int& exit_code) {
  auto* data = app.add_subcommand("data", "Dataset tools");
  data->require_subcommand(1);
  auto* synth =
      data->add_subcommand("synth", "Write the synthetic multi-hop world as MuSiQue JSONL plus a corpus JSONL");
  struct Args {
    std::string out;
    std::vector<std::string> sets;
  };
  auto args = std::make_shared<Args>();
  synth->add_option("--out", args->out, "Folder for train/dev/test.jsonl and corpus.jsonl")->required();
  synth->add_option("--set", args->sets,
                    "A setting of the synthetic dataset: key=value (TOML value), e.g. entities=5000; repeatable");
  on_parsed(*synth, exit_code, [args] { return data_synth(args->out, args->sets); });
}

}  // namespace steper::commands
