// Every way a tokenizer.json can be refused: the message names the file, the JSON path, what
// was expected and what was found.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "test_support.hpp"

namespace steper::bpe {
namespace {

using testing::added_token_json;
using testing::error_of;
using testing::TemporaryFolder;
using testing::tiny_tokenizer_json;
using testing::write_file;

class LoadErrors : public ::testing::Test {
 protected:
  // The error loading `document` (after `change`) gives, without the file name it starts with.
  std::string error_after(const std::function<void(nlohmann::json&)>& change) {
    nlohmann::json document = tiny_tokenizer_json({"ab"}, {"a b"});
    change(document);
    write_file(path(), document.dump());
    return without_file(error_of([&] { Tokenizer::load(path()); }));
  }
  std::string without_file(const std::string& message) {
    const std::string prefix = path().string() + ": ";
    if (message.rfind(prefix, 0) != 0) return "(message does not start with the file) " + message;
    return message.substr(prefix.size());
  }
  std::filesystem::path path() const { return folder.path() / "tokenizer.json"; }
  TemporaryFolder folder;
};

TEST_F(LoadErrors, MissingFile) {
  EXPECT_EQ(without_file(error_of([&] { Tokenizer::load(path()); })),
            "cannot read: No such file or directory");
}

// A pipe would block the load and a device never end it: refused before a byte is read.
TEST_F(LoadErrors, APipeIsRefusedWithoutBlocking) {
  ASSERT_EQ(mkfifo(path().c_str(), 0600), 0);
  EXPECT_EQ(without_file(error_of([&] { Tokenizer::load(path()); })),
            "cannot read: not a regular file (a device, pipe or socket)");
}

TEST_F(LoadErrors, NotJson) {
  write_file(path(), "{\"model\": ");
  EXPECT_NE(without_file(error_of([&] { Tokenizer::load(path()); })).find("not valid JSON: "),
            std::string::npos);
  write_file(path(), "[1, 2]");
  EXPECT_EQ(without_file(error_of([&] { Tokenizer::load(path()); })),
            "document root: expected an object, found array [1,2]");
}

TEST_F(LoadErrors, MissingModel) {
  EXPECT_EQ(error_after([](auto& d) { d.erase("model"); }),
            "document root: missing field \"model\"");
}

TEST_F(LoadErrors, UnknownModelType) {
  EXPECT_EQ(error_after([](auto& d) { d["model"]["type"] = "WordPiece"; }),
            "model.type: unsupported model type \"WordPiece\" (supported: BPE)");
}

TEST_F(LoadErrors, MergeNamingAnUnknownToken) {
  EXPECT_EQ(error_after([](auto& d) { d["model"]["merges"].push_back("a zz"); }),
            "model.merges[1]: token \"zz\" is not in model.vocab");
  EXPECT_EQ(error_after([](auto& d) { d["model"]["merges"].push_back("b c"); }),
            "model.merges[1]: the merged token \"bc\" is not in model.vocab");
}

TEST_F(LoadErrors, MalformedMerge) {
  EXPECT_EQ(error_after([](auto& d) { d["model"]["merges"][0] = "ab"; }),
            "model.merges[0]: expected \"left right\" (two tokens separated by one space), found \"ab\"");
  EXPECT_EQ(error_after([](auto& d) { d["model"]["merges"][0] = {"a", "b", "c"}; }),
            "model.merges[0]: expected a pair [left, right]");
  EXPECT_EQ(error_after([](auto& d) { d["model"]["merges"][0] = 7; }),
            "model.merges[0]: expected a string, found number 7");
}

TEST_F(LoadErrors, BadRegex) {
  EXPECT_EQ(error_after([](auto& d) {
              d["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"] = "(\\p{L}+";
            }),
            "pre_tokenizer.pretokenizers[0].pattern: invalid regex at offset 7: missing closing "
            "parenthesis in \"(\\p{L}+\"");
}

TEST_F(LoadErrors, BadVocabulary) {
  EXPECT_EQ(error_after([](auto& d) { d["model"]["vocab"]["ab"] = -3; }),
            "model.vocab.ab: expected a token id (an integer from 0 to 16777215), found number -3");
  EXPECT_EQ(error_after([](auto& d) { d["model"]["vocab"]["ab"] = 0; }),
            "model.vocab: tokens \"!\" and \"ab\" both have id 0");
  EXPECT_EQ(error_after([](auto& d) { d["model"]["vocab"]["ab"] = 400000000; }),
            "model.vocab.ab: expected a token id (an integer from 0 to 16777215), found number 400000000");
  EXPECT_EQ(error_after([](auto& d) { d["model"]["vocab"] = nlohmann::json::array(); }),
            "model.vocab: expected an object, found array []");
  EXPECT_EQ(error_after([](auto& d) { d["model"]["unk_token"] = "<unk>"; }),
            "model.unk_token: \"<unk>\" is not in model.vocab");
}

TEST_F(LoadErrors, UnsupportedComponents) {
  EXPECT_EQ(error_after([](auto& d) { d["normalizer"] = {{"type", "NFKC"}}; }),
            "normalizer.type: unsupported normalizer type \"NFKC\" (supported: NFC, or null)");
  EXPECT_EQ(error_after([](auto& d) { d["pre_tokenizer"] = {{"type", "Metaspace"}}; }),
            "pre_tokenizer.type: unsupported pre-tokenizer type \"Metaspace\" (supported: "
            "ByteLevel, Sequence)");
  EXPECT_EQ(error_after([](auto& d) { d["pre_tokenizer"]["pretokenizers"][0]["type"] = "Digits"; }),
            "pre_tokenizer.pretokenizers[0].type: unsupported pre-tokenizer (before the final "
            "ByteLevel) type \"Digits\" (supported: Split)");
  EXPECT_EQ(error_after([](auto& d) { d["pre_tokenizer"]["pretokenizers"].erase(1); }),
            "pre_tokenizer.pretokenizers: byte-level BPE needs a ByteLevel pre-tokenizer as the "
            "last of the sequence");
  EXPECT_EQ(error_after([](auto& d) { d["pre_tokenizer"]["pretokenizers"][1].erase("add_prefix_space"); }),
            "pre_tokenizer.pretokenizers[1]: missing field \"add_prefix_space\"");
  EXPECT_EQ(error_after([](auto& d) { d["pre_tokenizer"] = nullptr; }),
            "document root: pre_tokenizer is null; byte-level BPE needs a ByteLevel pre-tokenizer");
  EXPECT_EQ(error_after([](auto& d) { d["pre_tokenizer"]["pretokenizers"][0]["behavior"] = "Removed"; }),
            "pre_tokenizer.pretokenizers[0].behavior: unsupported split behavior \"Removed\" "
            "(supported: Isolated)");
  EXPECT_EQ(error_after([](auto& d) { d["pre_tokenizer"]["pretokenizers"][0]["invert"] = true; }),
            "pre_tokenizer.pretokenizers[0].invert: invert true is not supported");
  EXPECT_EQ(error_after([](auto& d) { d["decoder"] = {{"type", "Metaspace"}}; }),
            "decoder.type: unsupported decoder type \"Metaspace\" (supported: ByteLevel)");
  EXPECT_EQ(error_after([](auto& d) { d["post_processor"] = {{"type", "BertProcessing"}}; }),
            "post_processor.type: unsupported post-processor type \"BertProcessing\" (supported: "
            "TemplateProcessing, ByteLevel, Sequence of them, or null)");
  EXPECT_EQ(error_after([](auto& d) { d["truncation"] = {{"max_length", 512}}; }),
            "truncation: expected null (truncation and padding belong to the caller, not the "
            "tokenizer)");
  EXPECT_EQ(error_after([](auto& d) { d["model"]["dropout"] = 0.1; }),
            "model.dropout: BPE dropout is not supported (encoding is deterministic)");
  EXPECT_EQ(error_after([](auto& d) { d["model"]["byte_fallback"] = true; }),
            "model.byte_fallback: byte_fallback is not supported (byte-level BPE needs none)");
}

TEST_F(LoadErrors, BadAddedTokens) {
  // Tables are sized by the largest id: one past the limit is refused before anything is allocated.
  EXPECT_EQ(error_after([](auto& d) { d["added_tokens"] = nlohmann::json::array({added_token_json(2147483000, "<a>")}); }),
            "added_tokens[0].id: expected a token id (an integer from 0 to 16777215), found number 2147483000");
  EXPECT_EQ(error_after([](auto& d) { d["added_tokens"] = {added_token_json(300, "<a>"), added_token_json(300, "<b>")}; }),
            "added_tokens[1].id: id 300 is already added_tokens[0]");
  EXPECT_EQ(error_after([](auto& d) { d["added_tokens"] = nlohmann::json::array({added_token_json(5, "<a>")}); }),
            "added_tokens[0].id: id 5 belongs to another model.vocab token than \"<a>\"");
  EXPECT_EQ(error_after([](auto& d) { d["added_tokens"] = nlohmann::json::array({added_token_json(300, "")}); }),
            "added_tokens[0].content: an added token cannot be empty");
  EXPECT_EQ(error_after([](auto& d) { d["added_tokens"] = {{{"id", 300}}}; }),
            "added_tokens[0]: missing field \"content\"");
}

TEST_F(LoadErrors, BadTemplate) {
  const auto with_template = [](nlohmann::json single, nlohmann::json specials) {
    return [=](nlohmann::json& d) {
      d["post_processor"] = {{"type", "TemplateProcessing"},
                             {"single", single},
                             {"pair", nlohmann::json::array()},
                             {"special_tokens", specials}};
    };
  };
  const nlohmann::json a = {{"Sequence", {{"id", "A"}, {"type_id", 0}}}};
  const nlohmann::json bos = {{"SpecialToken", {{"id", "<s>"}, {"type_id", 0}}}};
  const nlohmann::json bos_entry = {{"<s>", {{"id", "<s>"}, {"ids", {999}}, {"tokens", {"<s>"}}}}};
  EXPECT_EQ(error_after(with_template({bos, a}, nlohmann::json::object())),
            "post_processor.single[0].SpecialToken.id: special token \"<s>\" is not among the "
            "template's special_tokens");
  EXPECT_EQ(error_after(with_template({bos, a}, bos_entry)),
            "post_processor.special_tokens[\"<s>\"].ids[0]: id 999 is no token of this tokenizer");
  EXPECT_EQ(error_after(with_template(nlohmann::json::array({bos}), bos_entry)),
            "post_processor.single: expected exactly one sequence, \"A\"");
}

}  // namespace
}  // namespace steper::bpe
