// The replay teacher's file of recorded trajectories (JSONL).
#include "fuzz_support.hpp"
#include "replay_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = steper::fuzz::write_file("replay.jsonl", data, size);
  steper::fuzz::read_or_refuse([&] {
    const auto file = steper::replay::ReplayFile::read(path, "ircot");
    for (const std::string& id : file.question_ids())
      if (file.find(id) == nullptr) __builtin_trap();
  });
  return 0;
}
