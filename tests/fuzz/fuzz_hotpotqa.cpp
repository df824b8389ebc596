// The HotpotQA reader (a JSON array of questions with their context paragraphs).
#include "fuzz_support.hpp"
#include "paragraph_ids.hpp"
#include "readers.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = steper::fuzz::write_file("hotpotqa.json", data, size);
  steper::fuzz::read_or_refuse([&] {
    steper::datasets::ContextCorpus corpus(/*by_title=*/true);
    steper::datasets::ReadWarnings warnings;
    (void)steper::datasets::read_hotpotqa(path, corpus, warnings);
    (void)warnings.lines();
  });
  return 0;
}
