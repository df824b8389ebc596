// A cell's HDF5 result file, read in full as report, status and inspect read it.
#include "fuzz_support.hpp"
#include "result_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = steper::fuzz::write_file("cell.h5", data, size);
  steper::fuzz::read_or_refuse([&] { (void)steper::read_result_file(path, /*with_tables=*/false); });
  steper::fuzz::read_or_refuse([&] { (void)steper::read_result_file(path, /*with_tables=*/true); });
  return 0;
}
