// MuSiQue as a dataset. The corpus is the de-duplicated union of the paragraphs of every split
// given, as IRCoT built it, or the JSONL {id, title, text} that `corpus` names (what
// `steper data synth` writes beside its questions). `answerable_only` (default true) skips the unanswerable questions
// of MuSiQue-Full, as IRCoT's MuSiQue-Ans does; their paragraphs stay in the corpus.
#include "file_dataset.hpp"
#include "readers.hpp"

namespace {

class Musique : public steper::datasets::FileDataset {
 public:
  Musique(steper::Settings& settings, steper::PluginContext& context)
      : FileDataset(settings, context, "musique", /*one_paragraph_per_title=*/false) {
    answerable_only_ = settings.get<bool>("answerable_only", true);
  }

 protected:
  std::vector<steper::Question> read_split(const std::string& path, steper::datasets::ParagraphIds& ids) override {
    return steper::datasets::read_musique(path, answerable_only_, ids);
  }

 private:
  bool answerable_only_ = true;
};

}  // namespace

STEPER_PLUGIN(Dataset, "musique", "1.0.0", Musique)
