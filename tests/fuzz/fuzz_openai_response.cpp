// The body of an OpenAI-compatible completion response, as the teacher's client parses it.
#include <string>

#include "completion_json.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  steper::GenerationRequest request;
  request.prompt = "Q: Who directed Alpha Ridge?\nA:";
  request.max_new_tokens = 16;
  request.stop = {"\n", "Q:"};
  steper::fuzz::read_or_refuse([&] {
    (void)steper::openai::parse_completion(std::string(reinterpret_cast<const char*>(data), size), request);
  });
  return 0;
}
