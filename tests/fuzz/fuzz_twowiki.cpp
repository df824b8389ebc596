// The 2WikiMultiHopQA readers: the question array (the input up to its first NUL byte, which
// JSON text cannot hold) and id_aliases.json (the rest), where answer ids are looked up.
#include <cstring>

#include "fuzz_support.hpp"
#include "paragraph_ids.hpp"
#include "readers.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto* nul = static_cast<const std::uint8_t*>(std::memchr(data, 0, size));
  const std::size_t split = nul == nullptr ? size : static_cast<std::size_t>(nul - data);
  const std::string questions = steper::fuzz::write_file("twowiki.json", data, split);
  const std::size_t rest = nul == nullptr ? size : split + 1;
  const std::string aliases = steper::fuzz::write_file("id_aliases.json", data + rest, size - rest);
  steper::fuzz::read_or_refuse([&] {
    steper::datasets::ContextCorpus corpus(/*by_title=*/true);
    steper::datasets::AnswerAliases by_id;
    steper::fuzz::read_or_refuse([&] { by_id = steper::datasets::read_id_aliases(aliases); });
    steper::datasets::ReadWarnings warnings;
    (void)steper::datasets::read_twowiki(questions, by_id, corpus, warnings);
    (void)warnings.lines();
  });
  return 0;
}
