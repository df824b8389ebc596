#include "batch_calls.hpp"

#include <exception>
#include <stdexcept>

namespace steper::frameworks {
namespace {

Retrieved to_ids(const std::vector<RetrievalHit>& hits, const Corpus& corpus) {
  Retrieved out;
  for (const RetrievalHit& hit : hits) {
    if (hit.doc >= corpus.size()) {
      out = {};
      out.error = "the retriever returned document " + std::to_string(hit.doc) + " of a corpus of " +
                  std::to_string(corpus.size());
      return out;
    }
    out.ids.push_back(corpus[hit.doc].id);
    out.scores.push_back(hit.score);
  }
  return out;
}

}  // namespace

std::vector<Retrieved> retrieve_all(Retriever& retriever, const std::vector<std::string>& queries, int k,
                                    const Corpus& corpus) {
  std::vector<Retrieved> out(queries.size());
  if (queries.empty()) return out;
  try {
    const std::vector<std::vector<RetrievalHit>> hits = retriever.search_batch(queries, k);
    if (hits.size() != queries.size())
      throw std::runtime_error("the retriever returned " + std::to_string(hits.size()) + " hit lists for " +
                               std::to_string(queries.size()) + " queries");
    for (std::size_t i = 0; i < queries.size(); ++i) out[i] = to_ids(hits[i], corpus);
    return out;
  } catch (const std::exception&) {
    // Find out which queries fail: search each on its own.
  }
  for (std::size_t i = 0; i < queries.size(); ++i) {
    try {
      out[i] = to_ids(retriever.search(queries[i], k), corpus);
    } catch (const std::exception& e) {
      out[i] = {};
      out[i].error = e.what();
    }
  }
  return out;
}

std::vector<GenerationResult> generate_all(Model& model, const std::vector<GenerationRequest>& requests,
                                           std::string_view framework) {
  if (requests.empty()) return {};
  std::vector<GenerationResult> results;
  try {
    results = model.generate(requests);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string(framework) + ": the model failed on a batch of " +
                             std::to_string(requests.size()) + " prompts: " + e.what());
  }
  if (results.size() != requests.size())
    throw std::runtime_error(std::string(framework) + ": the model returned " + std::to_string(results.size()) +
                             " results for " + std::to_string(requests.size()) + " requests");
  // A NUL byte would be cut from the stored text but kept in the next prompt: U+FFFD in both.
  for (auto& result : results)
    for (auto nul = result.text.find('\0'); nul != std::string::npos; nul = result.text.find('\0', nul))
      result.text.replace(nul, 1, "\xEF\xBF\xBD");
  return results;
}

std::string generation_error(const GenerationResult& result) {
  if (result.finish_reason != "error") return {};
  return "error: model: " + (result.error.empty() ? std::string("(the model gave no reason)") : result.error);
}

}  // namespace steper::frameworks
