// Opening a safetensors file: every header field is checked before any view is handed out.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <tuple>
#include <set>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "checkpoint_error.hpp"
#include "safetensors.hpp"

namespace steper::checkpoint {
namespace {

using nlohmann::json;

constexpr std::string_view kMetadataKey = "__metadata__";
constexpr std::size_t kLengthBytes = 8;

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& problem) {
  throw CheckpointError(fmt::format("safetensors file '{}': {}", path.string(), problem));
}

[[noreturn]] void fail_tensor(const std::filesystem::path& path, std::string_view name, const std::string& problem) {
  throw CheckpointError(fmt::format("safetensors file '{}': tensor '{}': {}", path.string(), name, problem));
}

support::MappedFile map_file(const std::filesystem::path& path) {
  try {
    return support::MappedFile(path);
  } catch (const support::MappedFileError& e) {
    throw CheckpointError(e.what());
  }
}

std::uint64_t read_header_length(const support::MappedFile& file, const std::filesystem::path& path) {
  if (file.size() < kLengthBytes) {
    fail(path, fmt::format("truncated: {} bytes, expected at least 8 (the header length)", file.size()));
  }
  std::uint64_t length = 0;
  for (std::size_t i = kLengthBytes; i-- > 0;) length = (length << 8) | std::to_integer<std::uint64_t>(file.data()[i]);
  if (length > kMaxHeaderBytes) {
    fail(path, fmt::format("header length {} exceeds the limit of {} bytes (not a safetensors file, or damaged)",
                           length, kMaxHeaderBytes));
  }
  if (file.size() - kLengthBytes < length) {
    fail(path, fmt::format("truncated: the header needs {} bytes after the 8-byte length, the file has {}", length,
                           file.size() - kLengthBytes));
  }
  return length;
}

json parse_header(const std::byte* begin, std::uint64_t length, const std::filesystem::path& path) {
  // json::parse keeps the last of repeated keys; the callback sees every top-level key (depth 1).
  std::set<std::string> seen;
  std::string duplicate;
  const auto note_duplicates = [&](int depth, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::key && depth == 1 && !seen.insert(parsed.get<std::string>()).second &&
        duplicate.empty()) {
      duplicate = parsed.get<std::string>();
    }
    return true;
  };
  const auto* text = reinterpret_cast<const char*>(begin);
  json header;
  try {
    header = json::parse(text, text + length, note_duplicates);
  } catch (const json::exception& e) {
    fail(path, fmt::format("the header is not valid JSON: {}", e.what()));
  }
  if (!header.is_object()) fail(path, fmt::format("the header must be a JSON object, found {}", header.type_name()));
  if (!duplicate.empty()) fail_tensor(path, duplicate, "named twice in the header");
  return header;
}

// A JSON integer in [0, INT64_MAX].
bool is_non_negative_int64(const json& value) {
  return value.is_number_unsigned() &&
         value.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
}

const json& member(const json& entry, const char* key, const std::filesystem::path& path, std::string_view name) {
  const auto it = entry.find(key);
  if (it == entry.end()) fail_tensor(path, name, fmt::format("the header entry has no \"{}\"", key));
  return *it;
}

DType read_dtype(const json& entry, const std::filesystem::path& path, std::string_view name) {
  const json& value = member(entry, "dtype", path, name);
  if (!value.is_string()) fail_tensor(path, name, fmt::format("\"dtype\" must be a string, found {}", value.dump()));
  const auto dtype = dtype_from_string(value.get<std::string>());
  if (!dtype) {
    fail_tensor(path, name, fmt::format("unknown dtype {} (expected one of {})", value.dump(), known_dtype_names()));
  }
  return *dtype;
}

std::vector<std::int64_t> read_shape(const json& entry, const std::filesystem::path& path, std::string_view name) {
  const json& value = member(entry, "shape", path, name);
  const bool valid = value.is_array() && std::all_of(value.begin(), value.end(), is_non_negative_int64);
  if (!valid) fail_tensor(path, name, fmt::format("\"shape\" must be a list of non-negative integers, found {}", value.dump()));
  std::vector<std::int64_t> shape;
  for (const json& dim : value) shape.push_back(dim.get<std::int64_t>());
  return shape;
}

std::pair<std::uint64_t, std::uint64_t> read_offsets(const json& entry, const std::filesystem::path& path,
                                                     std::string_view name) {
  const json& value = member(entry, "data_offsets", path, name);
  const bool valid = value.is_array() && value.size() == 2 && value[0].is_number_unsigned() &&
                     value[1].is_number_unsigned() && value[0].get<std::uint64_t>() <= value[1].get<std::uint64_t>();
  if (!valid) {
    fail_tensor(path, name, fmt::format("\"data_offsets\" must be [begin, end] with 0 <= begin <= end, found {}", value.dump()));
  }
  return {value[0].get<std::uint64_t>(), value[1].get<std::uint64_t>()};
}

struct Placed {
  TensorView view;
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
};

Placed read_entry(const std::string& name, const json& entry, const std::byte* buffer, std::uint64_t buffer_size,
                  const std::filesystem::path& path) {
  if (!entry.is_object()) {
    fail_tensor(path, name, fmt::format("expected an object with dtype, shape and data_offsets, found {}", entry.type_name()));
  }
  Placed placed;
  placed.view.name = name;
  placed.view.dtype = read_dtype(entry, path, name);
  placed.view.shape = read_shape(entry, path, name);
  std::tie(placed.begin, placed.end) = read_offsets(entry, path, name);
  if (placed.end > buffer_size) {
    fail_tensor(path, name, fmt::format("data_offsets [{}, {}] reach past the end of the {}-byte data buffer (truncated file?)",
                                        placed.begin, placed.end, buffer_size));
  }
  const auto expected = tensor_byte_count(placed.view.dtype, placed.view.shape);
  if (!expected || *expected != placed.end - placed.begin) {
    fail_tensor(path, name, fmt::format("data_offsets [{}, {}] hold {} bytes, but dtype {} and shape {} need {}", placed.begin,
                                        placed.end, placed.end - placed.begin, to_string(placed.view.dtype),
                                        format_shape(placed.view.shape),
                                        expected ? std::to_string(*expected) : std::string("more than 2^64")));
  }
  placed.view.bytes = {buffer + placed.begin, static_cast<std::size_t>(placed.end - placed.begin)};
  return placed;
}

std::map<std::string, std::string> read_metadata(const json& value, const std::filesystem::path& path) {
  if (!value.is_object()) fail(path, fmt::format("\"__metadata__\" must be an object of strings, found {}", value.type_name()));
  std::map<std::string, std::string> metadata;
  for (const auto& [key, text] : value.items()) {
    if (!text.is_string()) fail(path, fmt::format("\"__metadata__\" key '{}' must hold a string, found {}", key, text.dump()));
    metadata.emplace(key, text.get<std::string>());
  }
  return metadata;
}

// Tensors sorted by offset; each must end before the next non-empty one begins.
void check_no_overlap(const std::vector<Placed>& sorted, const std::filesystem::path& path) {
  const Placed* previous = nullptr;
  for (const Placed& tensor : sorted) {
    if (tensor.begin == tensor.end) continue;
    if (previous != nullptr && previous->end > tensor.begin) {
      fail_tensor(path, tensor.view.name,
                  fmt::format("data_offsets [{}, {}] overlap those of tensor '{}' [{}, {}]", tensor.begin, tensor.end,
                              previous->view.name, previous->begin, previous->end));
    }
    previous = &tensor;
  }
}

}  // namespace

SafetensorsFile::SafetensorsFile(std::filesystem::path path, support::MappedFile file)
    : path_(std::move(path)), file_(std::move(file)) {}

SafetensorsFile SafetensorsFile::open(const std::filesystem::path& path) {
  SafetensorsFile result(path, map_file(path));
  const support::MappedFile& file = result.file_;
  const std::uint64_t header_length = read_header_length(file, path);
  const json header = parse_header(file.data() + kLengthBytes, header_length, path);
  const std::byte* buffer = file.data() + kLengthBytes + header_length;
  const std::uint64_t buffer_size = file.size() - kLengthBytes - header_length;

  std::vector<Placed> placed;
  for (const auto& [key, value] : header.items()) {
    if (key == kMetadataKey) {
      result.metadata_ = read_metadata(value, path);
    } else {
      placed.push_back(read_entry(key, value, buffer, buffer_size, path));
    }
  }
  std::sort(placed.begin(), placed.end(), [](const Placed& a, const Placed& b) {
    return std::tie(a.begin, a.end) < std::tie(b.begin, b.end);
  });
  check_no_overlap(placed, path);

  result.tensors_.reserve(placed.size());
  for (Placed& tensor : placed) {
    result.index_.emplace(tensor.view.name, result.tensors_.size());
    result.tensors_.push_back(std::move(tensor.view));
  }
  return result;
}

const TensorView* SafetensorsFile::find(std::string_view name) const {
  const auto it = index_.find(name);
  return it == index_.end() ? nullptr : &tensors_[it->second];
}

}  // namespace steper::checkpoint
