// The MuSiQue reader (JSONL with numbered paragraphs and question decompositions).
#include "fuzz_support.hpp"
#include "paragraph_ids.hpp"
#include "readers.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = steper::fuzz::write_file("musique.jsonl", data, size);
  steper::fuzz::read_or_refuse([&] {
    steper::datasets::ContextCorpus corpus(/*by_title=*/false);
    (void)steper::datasets::read_musique(path, /*answerable_only=*/false, corpus);
  });
  return 0;
}
