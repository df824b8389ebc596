// The experiment loader: TOML (depth, size, types), `base` chains and the grid. The base files
// the seeds name lie beside the input, so inputs that extend them reach the grid.
#include "config.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const std::filesystem::path source(STEPER_SOURCE_DIR);
  for (const char* base : {"tests/fixtures/experiments/tiny.toml", "tests/fixtures/config/common.toml",
                           "experiments/paper_base.toml"})
    std::filesystem::copy_file(source / base, steper::fuzz::scratch() / std::filesystem::path(base).filename(),
                               std::filesystem::copy_options::overwrite_existing);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = steper::fuzz::write_file("experiment.toml", data, size);
  steper::fuzz::read_or_refuse([&] {
    const steper::Experiment experiment = steper::Experiment::load(path);
    for (const steper::Cell& cell : experiment.cells()) (void)cell.id();
  });
  return 0;
}
