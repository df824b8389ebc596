// 2WikiMultiHopQA as a dataset. The corpus is the de-duplicated union of the context paragraphs
// of every split given, as IRCoT built it, unless `corpus` names a JSONL {id, title, text}. `id_aliases` names the optional id_aliases.json whose
// aliases and demonyms follow the gold answer; evidence triples become the decomposition.
#include "file_dataset.hpp"
#include "readers.hpp"

namespace {

class TwoWiki : public steper::datasets::FileDataset {
 public:
  TwoWiki(steper::Settings& settings, steper::PluginContext& context)
      : FileDataset(settings, context, "twowiki", /*one_paragraph_per_title=*/false) {
    aliases_path_ = existing_file(settings, "id_aliases");
  }

 protected:
  std::vector<steper::Question> read_split(const std::string& path, steper::datasets::ParagraphIds& ids) override {
    if (!aliases_path_.empty() && aliases_.empty()) aliases_ = steper::datasets::read_id_aliases(aliases_path_);
    return steper::datasets::read_twowiki(path, aliases_, ids, warnings());
  }

 private:
  std::string aliases_path_;
  steper::datasets::AnswerAliases aliases_;  // read with the first split
};

}  // namespace

STEPER_PLUGIN(Dataset, "twowiki", "1.0.0", TwoWiki)
