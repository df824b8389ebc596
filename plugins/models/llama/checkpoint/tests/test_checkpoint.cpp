// Checkpoint folders: single file and sharded round trips, layout switches, index and shape checks.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>

#include <nlohmann/json.hpp>

#include "checkpoint.hpp"
#include "test_support.hpp"

namespace steper::checkpoint {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::TemporaryFolder;
using testing::error_of;

// Float32 tensors named "t0", "t1", ... with the given element counts; element j of tensor i is i*1000+j.
class Tensors {
 public:
  explicit Tensors(const std::vector<std::int64_t>& counts) {
    for (std::size_t i = 0; i < counts.size(); ++i) {
      std::vector<float> values(static_cast<std::size_t>(counts[i]));
      for (std::size_t j = 0; j < values.size(); ++j) values[j] = static_cast<float>(i * 1000 + j);
      values_.push_back(std::move(values));
    }
    for (std::size_t i = 0; i < counts.size(); ++i) {
      views_.push_back({"t" + std::to_string(i), DType::F32, {counts[i]},
                        {reinterpret_cast<const std::byte*>(values_[i].data()), values_[i].size() * sizeof(float)}});
    }
  }
  const std::vector<TensorView>& views() const { return views_; }

 private:
  std::vector<std::vector<float>> values_;
  std::vector<TensorView> views_;
};

void expect_holds(const Checkpoint& checkpoint, const std::vector<TensorView>& tensors) {
  ASSERT_EQ(checkpoint.names().size(), tensors.size());
  for (const TensorView& tensor : tensors) {
    const TensorView& read = checkpoint.require(tensor.name, tensor.shape);
    EXPECT_EQ(read.dtype, tensor.dtype);
    ASSERT_EQ(read.bytes.size, tensor.bytes.size);
    EXPECT_EQ(std::memcmp(read.bytes.data, tensor.bytes.data, read.bytes.size), 0) << tensor.name;
  }
}

nlohmann::json read_json(const std::filesystem::path& path) { return nlohmann::json::parse(testing::read_file(path)); }

TEST(Checkpoint, SmallModelIsOneFile) {
  TemporaryFolder folder;
  const Tensors tensors({4, 2, 3});
  write_checkpoint(folder.path(), tensors.views(), 1 << 20);
  EXPECT_TRUE(std::filesystem::exists(folder.path() / "model.safetensors"));
  EXPECT_FALSE(std::filesystem::exists(folder.path() / "model.safetensors.index.json"));
  const Checkpoint checkpoint = Checkpoint::open(folder.path());
  EXPECT_EQ(checkpoint.source(), folder.path() / "model.safetensors");
  EXPECT_THAT(checkpoint.names(), ElementsAre("t0", "t1", "t2"));
  expect_holds(checkpoint, tensors.views());
  EXPECT_EQ(SafetensorsFile::open(folder.path() / "model.safetensors").metadata().at("format"), "pt");
}

TEST(Checkpoint, OverTheLimitSplitsIntoShardsWithAnIndex) {
  TemporaryFolder folder;
  const Tensors tensors({4, 4, 4, 4, 4});  // 16 bytes each; 40 bytes per shard hold two
  write_checkpoint(folder.path(), tensors.views(), 40);
  EXPECT_FALSE(std::filesystem::exists(folder.path() / "model.safetensors"));
  const nlohmann::json index = read_json(folder.path() / "model.safetensors.index.json");
  EXPECT_EQ(index.at("metadata").at("total_size"), 80);
  const nlohmann::json expected_map = {{"t0", "model-00001-of-00003.safetensors"}, {"t1", "model-00001-of-00003.safetensors"},
                                       {"t2", "model-00002-of-00003.safetensors"}, {"t3", "model-00002-of-00003.safetensors"},
                                       {"t4", "model-00003-of-00003.safetensors"}};
  EXPECT_EQ(index.at("weight_map"), expected_map);
  EXPECT_EQ(SafetensorsFile::open(folder.path() / "model-00003-of-00003.safetensors").tensors().size(), 1u);

  const Checkpoint checkpoint = Checkpoint::open(folder.path());
  EXPECT_EQ(checkpoint.source(), folder.path() / "model.safetensors.index.json");
  expect_holds(checkpoint, tensors.views());
}

TEST(Checkpoint, ATensorOverTheLimitGetsAShardOfItsOwn) {
  TemporaryFolder folder;
  const Tensors tensors({2, 25, 2});  // 8, 100, 8 bytes under a 16-byte limit
  write_checkpoint(folder.path(), tensors.views(), 16);
  const nlohmann::json index = read_json(folder.path() / "model.safetensors.index.json");
  EXPECT_EQ(index.at("weight_map").at("t1"), "model-00002-of-00003.safetensors");
  expect_holds(Checkpoint::open(folder.path()), tensors.views());
}

TEST(Checkpoint, RewritingInTheOtherLayoutRemovesTheStaleOne) {
  TemporaryFolder folder;
  const Tensors first({4, 4, 4});
  write_checkpoint(folder.path(), first.views(), 1 << 20);
  const Tensors second({8, 8});
  write_checkpoint(folder.path(), second.views(), 32);
  EXPECT_FALSE(std::filesystem::exists(folder.path() / "model.safetensors"));
  expect_holds(Checkpoint::open(folder.path()), second.views());

  write_checkpoint(folder.path(), first.views(), 1 << 20);
  EXPECT_FALSE(std::filesystem::exists(folder.path() / "model.safetensors.index.json"));
  expect_holds(Checkpoint::open(folder.path()), first.views());
}

TEST(Checkpoint, SingleFileWinsOverAnIndexAsInTransformers) {
  TemporaryFolder folder;
  const Tensors sharded({4, 4});
  write_checkpoint(folder.path(), sharded.views(), 16);
  const Tensors single({3});
  write_safetensors(folder.path() / "model.safetensors", single.views(), {});
  expect_holds(Checkpoint::open(folder.path()), single.views());
}

TEST(Checkpoint, RequireNamesAMissingTensorAndTheFile) {
  TemporaryFolder folder;
  const Tensors tensors({4});
  write_checkpoint(folder.path(), tensors.views(), 1 << 20);
  const Checkpoint checkpoint = Checkpoint::open(folder.path());
  EXPECT_EQ(checkpoint.find("lm_head.weight"), nullptr);
  EXPECT_THAT(error_of([&] { checkpoint.require("lm_head.weight", {4, 2}); }),
              HasSubstr("checkpoint '" + (folder.path() / "model.safetensors").string() +
                        "': tensor 'lm_head.weight' is missing (expected shape [4, 2])"));
}

TEST(Checkpoint, RequireNamesTheShardAndBothShapesOfAMisShapedTensor) {
  TemporaryFolder folder;
  const Tensors tensors({4, 6});
  write_checkpoint(folder.path(), tensors.views(), 16);
  const Checkpoint checkpoint = Checkpoint::open(folder.path());
  EXPECT_THAT(error_of([&] { checkpoint.require("t1", {2, 3}); }),
              HasSubstr("checkpoint '" + (folder.path() / "model-00002-of-00002.safetensors").string() +
                        "': tensor 't1' has shape [6], expected [2, 3]"));
}

TEST(CheckpointDamaged, EmptyFolderHoldsNeitherLayout) {
  TemporaryFolder folder;
  EXPECT_THAT(error_of([&] { Checkpoint::open(folder.path()); }),
              HasSubstr("checkpoint folder '" + folder.path().string() +
                        "' holds neither model.safetensors nor model.safetensors.index.json"));
}

class CheckpointIndex : public ::testing::Test {
 protected:
  void SetUp() override { write_checkpoint(folder.path(), tensors.views(), 16); }
  std::filesystem::path index_path() const { return folder.path() / "model.safetensors.index.json"; }
  void write_index(const std::string& text) const { testing::write_file(index_path(), text); }
  std::string open_error() const { return error_of([&] { Checkpoint::open(folder.path()); }); }
  std::string prefix() const { return "checkpoint index '" + index_path().string() + "': "; }

  TemporaryFolder folder;
  Tensors tensors{{4, 4}};
};

TEST_F(CheckpointIndex, NamingAShardThatDoesNotExistIsRefused) {
  write_index(R"({"weight_map": {"t0": "model-00001-of-00002.safetensors", "t1": "model-00009-of-00009.safetensors"}})");
  EXPECT_THAT(open_error(), HasSubstr(prefix() + "tensor 't1': its shard '" +
                                      (folder.path() / "model-00009-of-00009.safetensors").string() + "' does not exist"));
}

TEST_F(CheckpointIndex, ATensorItsShardLacksIsRefused) {
  write_index(R"({"weight_map": {"t0": "model-00001-of-00002.safetensors", "t1": "model-00001-of-00002.safetensors"}})");
  EXPECT_THAT(open_error(), HasSubstr(prefix() + "tensor 't1' is not in its shard '" +
                                      (folder.path() / "model-00001-of-00002.safetensors").string() + "'"));
}

TEST_F(CheckpointIndex, AShardOutsideTheFolderIsRefused) {
  write_index(R"({"weight_map": {"t0": "../model-00001-of-00002.safetensors"}})");
  EXPECT_THAT(open_error(), HasSubstr(prefix() + "tensor 't0': the shard must be a file name beside the index, found "
                                      "\"../model-00001-of-00002.safetensors\""));
  write_index(R"({"weight_map": {"t0": 1}})");
  EXPECT_THAT(open_error(), HasSubstr("tensor 't0': the shard must be a file name beside the index, found 1"));
}

TEST_F(CheckpointIndex, MalformedIndexesAreRefused) {
  write_index("{\"weight_map\": ");
  EXPECT_THAT(open_error(), HasSubstr(prefix() + "not valid JSON"));
  write_index("[]");
  EXPECT_THAT(open_error(), HasSubstr(prefix() + "expected a JSON object, found array"));
  write_index(R"({"metadata": {"total_size": 32}})");
  EXPECT_THAT(open_error(), HasSubstr(prefix() + "no \"weight_map\""));
  write_index(R"({"weight_map": ["t0"]})");
  EXPECT_THAT(open_error(), HasSubstr(prefix() + "\"weight_map\" must be an object of tensor name to shard file, found array"));
}

TEST_F(CheckpointIndex, ADamagedShardIsNamedWithItsTensor) {
  const auto shard = folder.path() / "model-00002-of-00002.safetensors";
  std::filesystem::resize_file(shard, std::filesystem::file_size(shard) - 4);
  EXPECT_THAT(open_error(), HasSubstr("safetensors file '" + shard.string() + "': tensor 't1': data_offsets [0, 16] reach "
                                      "past the end of the 12-byte data buffer"));
}

TEST(CheckpointWrite, RefusesANameGivenTwiceEvenAcrossShards) {
  TemporaryFolder folder;
  const Tensors tensors({4, 4});
  std::vector<TensorView> views = tensors.views();
  views[1].name = "t0";
  EXPECT_THAT(error_of([&] { write_checkpoint(folder.path(), views, 16); }),
              HasSubstr("writing checkpoint '" + folder.path().string() + "': tensor 't0' given twice"));
}

TEST(CheckpointWrite, RefusesAZeroShardLimit) {
  TemporaryFolder folder;
  const Tensors tensors({4});
  EXPECT_THAT(error_of([&] { write_checkpoint(folder.path(), tensors.views(), 0); }),
              HasSubstr("max_shard_bytes must be positive"));
}

TEST(CheckpointWrite, CreatesTheFolder) {
  TemporaryFolder folder;
  const Tensors tensors({4});
  write_checkpoint(folder.path() / "a" / "b", tensors.views(), 1 << 20);
  expect_holds(Checkpoint::open(folder.path() / "a" / "b"), tensors.views());
}

}  // namespace
}  // namespace steper::checkpoint
