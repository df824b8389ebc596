// The IRCoT / Adaptive-RAG processed JSONL reader, and the corpus JSONL reader on the same bytes.
#include "fuzz_support.hpp"
#include "paragraph_ids.hpp"
#include "readers.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = steper::fuzz::write_file("ircot.jsonl", data, size);
  steper::fuzz::read_or_refuse([&] {
    steper::datasets::ContextCorpus corpus(/*by_title=*/false);
    (void)steper::datasets::read_ircot_jsonl(path, corpus);
  });
  steper::fuzz::read_or_refuse([&] { (void)steper::datasets::read_corpus_jsonl(path); });
  return 0;
}
