// A Hugging Face config.json, read and then checked as the model plugin does before it builds
// anything from the sizes.
#include "fuzz_support.hpp"
#include "hf_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = steper::fuzz::write_file("config.json", data, size);
  steper::fuzz::read_or_refuse([&] {
    const auto config = steper::checkpoint::read_hf_config(path);
    steper::checkpoint::check_decoder_config(config, path);
  });
  return 0;
}
