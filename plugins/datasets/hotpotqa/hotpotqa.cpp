// HotpotQA (distractor files) as a dataset. The corpus is one paragraph per context title,
// titled and named by it, unless `corpus` names the Wikipedia abstracts JSONL {id, title, text}
// that IRCoT indexed; then supporting paragraphs are that corpus's paragraphs of the same title.
#include "file_dataset.hpp"
#include "readers.hpp"

namespace {

class HotpotQa : public steper::datasets::FileDataset {
 public:
  HotpotQa(steper::Settings& settings, steper::PluginContext& context)
      : FileDataset(settings, context, "hotpotqa", /*one_paragraph_per_title=*/true) {}

 protected:
  std::vector<steper::Question> read_split(const std::string& path, steper::datasets::ParagraphIds& ids) override {
    return steper::datasets::read_hotpotqa(path, ids, warnings());
  }
};

}  // namespace

STEPER_PLUGIN(Dataset, "hotpotqa", "1.0.0", HotpotQa)
