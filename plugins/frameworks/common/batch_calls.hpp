// The batched calls a framework step makes for all its running questions, with failures kept
// to the question they belong to.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "steper/model.hpp"
#include "steper/retriever.hpp"
#include "steper/types.hpp"

namespace steper::frameworks {

struct Retrieved {
  std::vector<std::string> ids;  // best first
  std::vector<double> scores;    // one per id
  std::string error;             // non-empty: retrieval failed for this query
};

// One search_batch call for all queries. When it throws, each query is searched alone so that
// only the queries that fail get an error.
std::vector<Retrieved> retrieve_all(Retriever& retriever, const std::vector<std::string>& queries, int k,
                                    const Corpus& corpus);

// One model.generate call; throws std::runtime_error, naming the framework, when the model
// answers with another number of results than requests or throws itself.
std::vector<GenerationResult> generate_all(Model& model, const std::vector<GenerationRequest>& requests,
                                           std::string_view framework);

// "error: model: <what>" for a result whose finish_reason is "error"; empty otherwise.
std::string generation_error(const GenerationResult& result);

}  // namespace steper::frameworks
