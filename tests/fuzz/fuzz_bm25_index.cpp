// The BM25 index loader and both searches, over index files whose checksums pass: the payload is
// what a buggy or hostile writer could have written (counts, offsets, blocks, postings, ranks),
// sealed as the real writer seals it. The loader checks every offset once, so a search must
// neither read outside the files nor return a paragraph the corpus does not have.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>

#include "analyzer.hpp"
#include "fuzz_support.hpp"
#include "index_builder.hpp"
#include "searcher.hpp"

namespace {

using namespace steper::bm25;

// Mostly consistent counts and offsets (so the loader's checks are passed often enough to reach
// the search), with the postings' bytes and the blocks' contents left to the input.
FieldIndexData field_data(FuzzedDataProvider& input, std::uint32_t corpus_size) {
  FieldIndexData data;
  data.documents_with_field = input.ConsumeIntegralInRange<std::uint64_t>(0, corpus_size + 1);
  data.total_length = input.ConsumeIntegral<std::uint32_t>();
  const std::size_t terms = input.ConsumeIntegralInRange<std::size_t>(0, 6);
  for (std::size_t t = 0; t < terms; ++t) data.terms.push_back(input.ConsumeRandomLengthString(6));
  std::sort(data.terms.begin(), data.terms.end());
  data.terms.erase(std::unique(data.terms.begin(), data.terms.end()), data.terms.end());
  data.posting_offsets = {0};
  data.block_starts = {0};
  for (std::size_t t = 0; t < data.terms.size(); ++t) {
    const auto doc_freq = input.ConsumeIntegralInRange<std::uint32_t>(0, 2 * kBlockSize + 1);
    const std::string postings = input.ConsumeRandomLengthString(48);
    data.doc_freqs.push_back(doc_freq);
    data.max_weights.push_back(input.ConsumeFloatingPoint<float>());
    data.postings += postings;
    data.posting_offsets.push_back(data.postings.size());
    const std::uint64_t blocks = (doc_freq + kBlockSize - 1) / kBlockSize;
    for (std::uint64_t b = 0; b < blocks; ++b) {
      data.block_last_docs.push_back(input.ConsumeIntegralInRange<std::uint32_t>(0, corpus_size));
      data.block_offsets.push_back(input.ConsumeIntegralInRange<std::uint32_t>(0, postings.size()));
      data.block_max_weights.push_back(input.ConsumeFloatingPoint<float>());
    }
    data.block_starts.push_back(data.block_last_docs.size());
  }
  if (input.ConsumeBool()) {  // one offset anywhere
    auto& offsets = input.ConsumeBool() ? data.posting_offsets : data.block_starts;
    offsets[input.ConsumeIntegralInRange<std::size_t>(0, offsets.size() - 1)] = input.ConsumeIntegral<std::uint64_t>();
  }
  return data;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider input(data, size);
  const Parameters parameters;
  const auto corpus_size = input.ConsumeIntegralInRange<std::uint32_t>(1, 40);
  const IndexIdentity identity{corpus_size, /*corpus_hash=*/7, kAnalyzerName, parameters.describe()};
  BuiltIndex index;
  for (auto& field : index.fields) field = field_data(input, corpus_size);
  const auto ranks = input.ConsumeIntegralInRange<std::uint32_t>(0, corpus_size + 1);
  for (std::uint32_t r = 0; r < ranks; ++r) index.id_ranks.push_back(input.ConsumeIntegral<std::uint32_t>());
  const std::string dir = steper::fuzz::scratch().string();
  write_index(dir, identity, index);

  std::vector<std::string> query;
  for (const auto& field : index.fields) query.insert(query.end(), field.terms.begin(), field.terms.end());
  query.push_back("absent");
  steper::fuzz::read_or_refuse([&] {
    const Searcher searcher(dir, identity, parameters);
    SearchScratch scratch;
    for (const auto& hits : {searcher.search(query, 3, scratch), searcher.search_exhaustive(query, 3, scratch)})
      for (const auto& hit : hits)
        if (hit.doc >= corpus_size) __builtin_trap();
  });
  return 0;
}
