// A tokenizer.json, then a round trip of a text through it and a decode of ids it may not have.
#include "bpe_tokenizer.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = steper::fuzz::write_file("tokenizer.json", data, size);
  steper::fuzz::read_or_refuse([&] {
    const auto tokenizer = steper::bpe::Tokenizer::load(path);
    const auto ids = tokenizer.encode_with_special("Who directed Alpha Ridge? <|eot_id|> caf\xc3\xa9 \xff 42");
    (void)tokenizer.decode(ids);
    (void)tokenizer.decode({-1, 0, 1, tokenizer.vocab_size(), 2147483647}, /*skip_special=*/true);
  });
  return 0;
}
