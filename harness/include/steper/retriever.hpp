// Retriever plugins index a corpus and return the top-k paragraphs for a query.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "steper/api.hpp"
#include "steper/context.hpp"
#include "steper/settings.hpp"
#include "steper/types.hpp"

namespace steper {

class Retriever : public Plugin {
 public:
  static constexpr const char* kKindName = "retriever";
  ~Retriever() override;
  // Builds the index of `corpus` and writes it into the folder `dir` (which exists and is empty).
  virtual void index_build(const Corpus& corpus, const std::string& dir) = 0;
  // Loads an index that index_build wrote into `dir` for the same corpus.
  virtual void index_load(const Corpus& corpus, const std::string& dir) = 0;
  // Best first; at most k hits.
  virtual std::vector<RetrievalHit> search(std::string_view query, int k) = 0;
  virtual std::vector<std::vector<RetrievalHit>> search_batch(const std::vector<std::string>& queries, int k);
  // Changes whenever files of the retriever's own change (a dense encoder's weights, a stopword
  // list; file_fingerprint() in steper/fingerprint.hpp), so an index built with older files is
  // not reused. The settings are keyed already.
  virtual std::string fingerprint() { return {}; }
};

}  // namespace steper
