// Out-of-line destructors and default methods of the plugin interfaces. Defining them here
// gives each interface one vtable and one type_info, in the core library, shared by the host
// and every plugin, so dynamic_cast across library boundaries works.
#include "steper/context.hpp"
#include "steper/dataset.hpp"
#include "steper/framework.hpp"
#include "steper/loss.hpp"
#include "steper/model.hpp"
#include "steper/retriever.hpp"
#include "steper/trainable.hpp"

namespace steper {

Plugin::~Plugin() = default;
Dataset::~Dataset() = default;
Retriever::~Retriever() = default;
Framework::~Framework() = default;
Model::~Model() = default;
Loss::~Loss() = default;
TrainableModel::~TrainableModel() = default;
Progress::~Progress() = default;
PluginContext::~PluginContext() = default;

std::vector<std::vector<RetrievalHit>> Retriever::search_batch(const std::vector<std::string>& queries, int k) {
  std::vector<std::vector<RetrievalHit>> hits;
  hits.reserve(queries.size());
  for (const auto& query : queries) hits.push_back(search(query, k));
  return hits;
}

Corpus::Corpus(std::vector<Paragraph> paragraphs) : paragraphs_(std::move(paragraphs)) {
  by_id_.reserve(paragraphs_.size());
  for (std::size_t doc = 0; doc < paragraphs_.size(); ++doc) {
    if (!by_id_.emplace(paragraphs_[doc].id, doc).second)
      throw std::invalid_argument("corpus has two paragraphs with id '" + paragraphs_[doc].id + "'");
  }
}

std::size_t Corpus::doc_of(const std::string& id) const {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) throw std::out_of_range("no paragraph with id '" + id + "' in the corpus");
  return it->second;
}

}  // namespace steper
