// safetensors files: round trip of every dtype, the reference layout, and every header check.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>

#include "safetensors.hpp"
#include "test_support.hpp"

namespace steper::checkpoint {
namespace {

using ::testing::HasSubstr;
using testing::TemporaryFolder;
using testing::error_of;

constexpr DType kAllDTypes[] = {DType::F64, DType::F32, DType::F16, DType::BF16, DType::I64,
                                DType::I32, DType::I16, DType::I8,  DType::U8,   DType::BOOL};

// A tensor whose bytes the test owns.
struct OwnedTensor {
  OwnedTensor(std::string name, DType dtype, std::vector<std::int64_t> shape) {
    const std::size_t size = *tensor_byte_count(dtype, shape);
    for (std::size_t i = 0; i < size; ++i) bytes.push_back(static_cast<std::byte>((i * 7 + name.size()) & 0xff));
    view = {std::move(name), dtype, std::move(shape), {bytes.data(), bytes.size()}};
  }
  std::vector<std::byte> bytes;
  TensorView view;
};

std::vector<TensorView> views_of(const std::vector<OwnedTensor>& tensors) {
  std::vector<TensorView> views;
  for (const OwnedTensor& tensor : tensors) views.push_back(tensor.view);
  return views;
}

void expect_same_tensor(const TensorView& read, const TensorView& written) {
  EXPECT_EQ(read.name, written.name);
  EXPECT_EQ(read.dtype, written.dtype) << read.name;
  EXPECT_EQ(read.shape, written.shape) << read.name;
  ASSERT_EQ(read.bytes.size, written.bytes.size) << read.name;
  if (read.bytes.size > 0) {  // an empty vector's data() may be null, which memcmp must not see
    EXPECT_EQ(std::memcmp(read.bytes.data, written.bytes.data, read.bytes.size), 0) << read.name;
  }
}

TEST(DTypeNames, EveryDTypeRoundTripsThroughItsName) {
  for (const DType dtype : kAllDTypes) EXPECT_EQ(dtype_from_string(to_string(dtype)), dtype) << to_string(dtype);
  EXPECT_EQ(dtype_size(DType::BF16), 2u);
  EXPECT_EQ(dtype_size(DType::F64), 8u);
  EXPECT_EQ(dtype_size(DType::BOOL), 1u);
  EXPECT_FALSE(dtype_from_string("F8_E4M3"));
  EXPECT_FALSE(dtype_from_string("f32"));
}

TEST(Safetensors, RoundTripsEveryDTypeScalarsAndEmptyTensors) {
  TemporaryFolder folder;
  std::vector<OwnedTensor> tensors;
  for (const DType dtype : kAllDTypes) tensors.emplace_back("t." + std::string(to_string(dtype)), dtype, std::vector<std::int64_t>{2, 3});
  tensors.emplace_back("scalar", DType::F32, std::vector<std::int64_t>{});
  tensors.emplace_back("empty", DType::BF16, std::vector<std::int64_t>{0, 4});
  tensors.emplace_back("empty_too", DType::F16, std::vector<std::int64_t>{3, 0});
  const std::map<std::string, std::string> metadata{{"format", "pt"}, {"note", "round trip"}};
  const auto path = folder.path() / "all.safetensors";
  write_safetensors(path, views_of(tensors), metadata);

  const SafetensorsFile file = SafetensorsFile::open(path);
  EXPECT_EQ(file.metadata(), metadata);
  ASSERT_EQ(file.tensors().size(), tensors.size());
  for (const OwnedTensor& tensor : tensors) {
    const TensorView* read = file.find(tensor.view.name);
    ASSERT_NE(read, nullptr) << tensor.view.name;
    expect_same_tensor(*read, tensor.view);
  }
  EXPECT_EQ(file.find("absent"), nullptr);
  EXPECT_FALSE(std::filesystem::exists(path.string() + ".tmp"));
}

TEST(Safetensors, TensorsComeInDataOrderWhichIsTheOrderWritten) {
  TemporaryFolder folder;
  std::vector<OwnedTensor> tensors;
  for (const char* name : {"zeta", "alpha", "mid"}) tensors.emplace_back(name, DType::F32, std::vector<std::int64_t>{2});
  const auto path = folder.path() / "order.safetensors";
  write_safetensors(path, views_of(tensors), {});
  const SafetensorsFile file = SafetensorsFile::open(path);
  ASSERT_EQ(file.tensors().size(), 3u);
  EXPECT_EQ(file.tensors()[0].name, "zeta");
  EXPECT_EQ(file.tensors()[1].name, "alpha");
  EXPECT_EQ(file.tensors()[2].name, "mid");
  EXPECT_TRUE(file.metadata().empty());
}

TEST(Safetensors, HeaderIsPaddedToEightBytesSoDataStartsAligned) {
  TemporaryFolder folder;
  std::vector<OwnedTensor> tensors;
  tensors.emplace_back("a", DType::F32, std::vector<std::int64_t>{4});
  tensors.emplace_back("bb", DType::F64, std::vector<std::int64_t>{3});
  const auto path = folder.path() / "aligned.safetensors";
  write_safetensors(path, views_of(tensors), {{"format", "pt"}});
  const std::string bytes = testing::read_file(path);
  std::uint64_t header_length = 0;
  std::memcpy(&header_length, bytes.data(), 8);  // little-endian host
  EXPECT_EQ(header_length % 8, 0u);
  EXPECT_EQ(bytes.size(), 8 + header_length + 16 + 24);
  const SafetensorsFile file = SafetensorsFile::open(path);
  for (const TensorView& view : file.tensors()) EXPECT_EQ(reinterpret_cast<std::uintptr_t>(view.bytes.data) % 8, 0u);
}

TEST(Safetensors, ReadsTheReferenceWritersLayout) {
  // What Python's safetensors.torch.save_file writes for {"w": tensor([1., 2.]), "b": tensor([3.])}.
  TemporaryFolder folder;
  std::string header =
      R"({"__metadata__":{"format":"pt"},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
      R"("w":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})";
  header.append((8 - header.size() % 8) % 8, ' ');
  const float values[] = {3.0f, 1.0f, 2.0f};
  std::string data(reinterpret_cast<const char*>(values), sizeof values);
  const auto path = folder.path() / "reference.safetensors";
  testing::write_file(path, testing::length_prefix(header.size()) + header + data);

  const SafetensorsFile file = SafetensorsFile::open(path);
  const TensorView* w = file.find("w");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->dtype, DType::F32);
  EXPECT_EQ(w->shape, (std::vector<std::int64_t>{2}));
  float read[2];
  std::memcpy(read, w->bytes.data, sizeof read);
  EXPECT_EQ(read[0], 1.0f);
  EXPECT_EQ(read[1], 2.0f);
  EXPECT_EQ(file.metadata().at("format"), "pt");
}

TEST(Safetensors, ViewsSurviveAMove) {
  TemporaryFolder folder;
  std::vector<OwnedTensor> tensors;
  tensors.emplace_back("x", DType::I32, std::vector<std::int64_t>{5});
  const auto path = folder.path() / "move.safetensors";
  write_safetensors(path, views_of(tensors), {});
  SafetensorsFile first = SafetensorsFile::open(path);
  const std::byte* data = first.find("x")->bytes.data;
  const SafetensorsFile second = std::move(first);
  EXPECT_EQ(second.find("x")->bytes.data, data);
  expect_same_tensor(*second.find("x"), tensors[0].view);
}

// A damaged or hand-made file and the words its error must hold (besides the file's path).
struct BadFile {
  const char* label;
  std::string header;
  std::size_t data_bytes;
  std::vector<std::string> expected;
};

std::ostream& operator<<(std::ostream& out, const BadFile& bad) { return out << bad.label; }

class SafetensorsBadHeader : public ::testing::TestWithParam<BadFile> {};

TEST_P(SafetensorsBadHeader, IsRefusedWithTheFileAndTensorNamed) {
  TemporaryFolder folder;
  const auto path = folder.path() / "bad.safetensors";
  testing::write_raw_safetensors(path, GetParam().header, GetParam().data_bytes);
  const std::string message = error_of([&] { SafetensorsFile::open(path); });
  EXPECT_THAT(message, HasSubstr("'" + path.string() + "'"));
  for (const std::string& part : GetParam().expected) EXPECT_THAT(message, HasSubstr(part));
}

INSTANTIATE_TEST_SUITE_P(
    Checks, SafetensorsBadHeader,
    ::testing::Values(
        BadFile{"not_json", "{\"w\": ", 0, {"the header is not valid JSON"}},
        BadFile{"not_an_object", "[1, 2]", 0, {"the header must be a JSON object, found array"}},
        BadFile{"entry_not_object", R"({"w": 3})", 0, {"tensor 'w'", "expected an object with dtype, shape and data_offsets"}},
        BadFile{"unknown_dtype", R"({"w":{"dtype":"F8_E4M3","shape":[2],"data_offsets":[0,2]}})", 2,
                {"tensor 'w'", "unknown dtype \"F8_E4M3\"", "expected one of F64, F32, F16, BF16"}},
        BadFile{"dtype_not_string", R"({"w":{"dtype":4,"shape":[1],"data_offsets":[0,4]}})", 4,
                {"tensor 'w'", "\"dtype\" must be a string, found 4"}},
        BadFile{"missing_dtype", R"({"w":{"shape":[1],"data_offsets":[0,4]}})", 4, {"tensor 'w'", "has no \"dtype\""}},
        BadFile{"missing_shape", R"({"w":{"dtype":"F32","data_offsets":[0,4]}})", 4, {"tensor 'w'", "has no \"shape\""}},
        BadFile{"missing_offsets", R"({"w":{"dtype":"F32","shape":[1]}})", 4, {"tensor 'w'", "has no \"data_offsets\""}},
        BadFile{"negative_dim", R"({"w":{"dtype":"F32","shape":[-1,2],"data_offsets":[0,8]}})", 8,
                {"tensor 'w'", "\"shape\" must be a list of non-negative integers, found [-1,2]"}},
        BadFile{"fractional_dim", R"({"w":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}})", 8,
                {"tensor 'w'", "non-negative integers, found [2.5]"}},
        BadFile{"shape_not_list", R"({"w":{"dtype":"F32","shape":"2","data_offsets":[0,8]}})", 8,
                {"tensor 'w'", "non-negative integers, found \"2\""}},
        BadFile{"offsets_reversed", R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}})", 4,
                {"tensor 'w'", "\"data_offsets\" must be [begin, end] with 0 <= begin <= end, found [4,0]"}},
        BadFile{"offsets_one_number", R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[4]}})", 4,
                {"tensor 'w'", "\"data_offsets\" must be [begin, end]"}},
        BadFile{"offsets_past_buffer", R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", 7,
                {"tensor 'w'", "data_offsets [0, 8] reach past the end of the 7-byte data buffer"}},
        BadFile{"size_mismatch", R"({"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,12]}})", 16,
                {"tensor 'w'", "data_offsets [0, 12] hold 12 bytes, but dtype F32 and shape [2, 2] need 16"}},
        BadFile{"shape_overflows", R"({"w":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,8]}})", 8,
                {"tensor 'w'", "need more than 2^64"}},
        BadFile{"overlap",
                R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                12, {"tensor 'b'", "data_offsets [4, 12] overlap those of tensor 'a' [0, 8]"}},
        BadFile{"duplicate_name",
                R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                8, {"tensor 'a'", "named twice in the header"}},
        BadFile{"metadata_not_string", R"({"__metadata__":{"format":1}})", 0,
                {"\"__metadata__\" key 'format' must hold a string, found 1"}},
        BadFile{"metadata_not_object", R"({"__metadata__":[]})", 0, {"\"__metadata__\" must be an object of strings"}}),
    [](const ::testing::TestParamInfo<BadFile>& info) { return std::string(info.param.label); });

TEST(SafetensorsDamaged, EmptyAndTinyFilesAreTruncated) {
  TemporaryFolder folder;
  const auto path = folder.path() / "tiny.safetensors";
  testing::write_file(path, "");
  EXPECT_THAT(error_of([&] { SafetensorsFile::open(path); }),
              HasSubstr("'" + path.string() + "': truncated: 0 bytes, expected at least 8 (the header length)"));
  testing::write_file(path, std::string("\x10\0\0\0\0", 5));
  EXPECT_THAT(error_of([&] { SafetensorsFile::open(path); }), HasSubstr("truncated: 5 bytes, expected at least 8"));
}

TEST(SafetensorsDamaged, HeaderCutShortIsTruncated) {
  TemporaryFolder folder;
  const auto path = folder.path() / "cut.safetensors";
  OwnedTensor tensor("w", DType::F32, {4});
  write_safetensors(path, {tensor.view}, {});
  const std::string bytes = testing::read_file(path);
  std::uint64_t header_length = 0;
  std::memcpy(&header_length, bytes.data(), 8);
  std::filesystem::resize_file(path, 8 + header_length - 1);
  EXPECT_THAT(error_of([&] { SafetensorsFile::open(path); }),
              HasSubstr("truncated: the header needs " + std::to_string(header_length) + " bytes after the 8-byte length, the file has " +
                        std::to_string(header_length - 1)));
}

TEST(SafetensorsDamaged, DataCutShortNamesTheTensorThatNoLongerFits) {
  TemporaryFolder folder;
  const auto path = folder.path() / "cut.safetensors";
  OwnedTensor first("first", DType::F32, {4});
  OwnedTensor last("last", DType::BF16, {3});
  write_safetensors(path, {first.view, last.view}, {});
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 1);
  const std::string message = error_of([&] { SafetensorsFile::open(path); });
  EXPECT_THAT(message, HasSubstr("'" + path.string() + "': tensor 'last': data_offsets [16, 22] reach past the end of the "
                                 "21-byte data buffer (truncated file?)"));
}

TEST(SafetensorsDamaged, AbsurdHeaderLengthIsRefusedBeforeReading) {
  TemporaryFolder folder;
  const auto path = folder.path() / "absurd.safetensors";
  testing::write_file(path, testing::length_prefix(std::uint64_t{1} << 40) + "{}");
  EXPECT_THAT(error_of([&] { SafetensorsFile::open(path); }),
              HasSubstr("header length 1099511627776 exceeds the limit of 100000000 bytes"));
}

TEST(SafetensorsDamaged, MissingFileAndFolderAreNamed) {
  TemporaryFolder folder;
  const auto missing = folder.path() / "absent.safetensors";
  EXPECT_THAT(error_of([&] { SafetensorsFile::open(missing); }),
              HasSubstr("cannot open '" + missing.string() + "': No such file or directory"));
  EXPECT_THAT(error_of([&] { SafetensorsFile::open(folder.path()); }), HasSubstr("not a regular file"));
}

TEST(SafetensorsWrite, RefusesBytesThatDoNotMatchDTypeAndShape) {
  TemporaryFolder folder;
  const auto path = folder.path() / "w.safetensors";
  OwnedTensor tensor("w", DType::F32, {2});
  TensorView wrong = tensor.view;
  wrong.shape = {3};
  EXPECT_THAT(error_of([&] { write_safetensors(path, {wrong}, {}); }),
              HasSubstr("writing safetensors file '" + path.string() + "': tensor 'w': 8 bytes given, but dtype F32 and "
                        "shape [3] need 12"));
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(SafetensorsWrite, RefusesRepeatedAndReservedNames) {
  TemporaryFolder folder;
  const auto path = folder.path() / "w.safetensors";
  OwnedTensor tensor("w", DType::F32, {2});
  EXPECT_THAT(error_of([&] { write_safetensors(path, {tensor.view, tensor.view}, {}); }),
              HasSubstr("tensor 'w': given twice"));
  TensorView reserved = tensor.view;
  reserved.name = "__metadata__";
  EXPECT_THAT(error_of([&] { write_safetensors(path, {reserved}, {}); }), HasSubstr("the name is reserved"));
}

TEST(SafetensorsWrite, NamesThePathItCannotCreate) {
  TemporaryFolder folder;
  const auto path = folder.path() / "no_such_folder" / "w.safetensors";
  EXPECT_THAT(error_of([&] { write_safetensors(path, {}, {}); }),
              HasSubstr("cannot create '" + path.string() + ".tmp': No such file or directory"));
}

TEST(SafetensorsWrite, AnEmptyFileHoldsNoTensors) {
  TemporaryFolder folder;
  const auto path = folder.path() / "empty.safetensors";
  write_safetensors(path, {}, {});
  const SafetensorsFile file = SafetensorsFile::open(path);
  EXPECT_TRUE(file.tensors().empty());
  EXPECT_TRUE(file.metadata().empty());
}

}  // namespace
}  // namespace steper::checkpoint
