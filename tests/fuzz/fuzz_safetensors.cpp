// A safetensors file: its header, then every byte each tensor view claims (ASan reports a view
// that reaches past the mapped file).
#include "fuzz_support.hpp"
#include "safetensors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = steper::fuzz::write_file("model.safetensors", data, size);
  steper::fuzz::read_or_refuse([&] {
    const auto file = steper::checkpoint::SafetensorsFile::open(path);
    unsigned sum = 0;
    for (const auto& tensor : file.tensors())
      for (std::size_t i = 0; i < tensor.bytes.size; ++i) sum += static_cast<unsigned>(tensor.bytes.data[i]);
    volatile unsigned keep = sum;
    (void)keep;
  });
  return 0;
}
