// Dataset plugins read a dataset's questions and build its retrieval corpus.
#pragma once

#include <string>
#include <vector>

#include "steper/api.hpp"
#include "steper/context.hpp"
#include "steper/settings.hpp"
#include "steper/types.hpp"

namespace steper {

class Dataset : public Plugin {
 public:
  static constexpr const char* kKindName = "dataset";
  ~Dataset() override;
  // Questions of a split, already subsampled as the settings ask; empty when the split is absent.
  virtual std::vector<Question> questions(Split split) = 0;
  // The retrieval corpus, in a fixed order.
  virtual std::vector<Paragraph> corpus() = 0;
  // Changes whenever the underlying data changes (file sizes and times, generator version),
  // so cached stages built from older data are not reused. The settings are keyed already.
  virtual std::string fingerprint() { return {}; }
};

}  // namespace steper
