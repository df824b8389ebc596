// IRCoT's (and Adaptive-RAG's) processed JSONL files as a dataset. The corpus is the
// de-duplicated union of the contexts of every split given, or the JSONL {id, title, text}
// that `corpus` names (HotpotQA's abstracts); supporting paragraphs then match by title.
#include "file_dataset.hpp"
#include "readers.hpp"

namespace {

class IrcotJsonl : public steper::datasets::FileDataset {
 public:
  IrcotJsonl(steper::Settings& settings, steper::PluginContext& context)
      : FileDataset(settings, context, "ircot_jsonl", /*one_paragraph_per_title=*/false) {}

 protected:
  std::vector<steper::Question> read_split(const std::string& path, steper::datasets::ParagraphIds& ids) override {
    return steper::datasets::read_ircot_jsonl(path, ids);
  }
};

}  // namespace

STEPER_PLUGIN(Dataset, "ircot_jsonl", "1.0.0", IrcotJsonl)
