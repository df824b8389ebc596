#include "tokenizer_json_write.hpp"

#include <nlohmann/json.hpp>

namespace steper::bpe {
namespace {

using Json = nlohmann::ordered_json;

std::string dumped(const Json& value, int indent = -1) {
  return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::strict);
}

// Indents every line after the first of `block` by `spaces`.
std::string indented(const std::string& block, int spaces) {
  std::string out;
  for (const char c : block) {
    out.push_back(c);
    if (c == '\n') out.append(static_cast<std::size_t>(spaces), ' ');
  }
  return out;
}

Json byte_level_json(const char* type, const ByteLevelOptions& options) {
  return Json{{"type", type},
              {"add_prefix_space", options.add_prefix_space},
              {"trim_offsets", options.trim_offsets},
              {"use_regex", options.use_regex}};
}

Json added_token_json(const AddedToken& token) {
  return Json{{"id", token.id},           {"content", token.content},
              {"single_word", token.single_word}, {"lstrip", token.lstrip},
              {"rstrip", token.rstrip},   {"normalized", token.normalized},
              {"special", token.special}};
}

Json pre_tokenizer_json(const PreTokenizerSpec& spec) {
  const Json byte_level = byte_level_json("ByteLevel", spec.byte_level);
  if (!spec.is_sequence && spec.splits.empty()) return byte_level;
  Json steps = Json::array();
  for (const SplitRule& rule : spec.splits) {
    steps.push_back(Json{{"type", "Split"},
                         {"pattern", Json{{rule.is_regex ? "Regex" : "String", rule.pattern}}},
                         {"behavior", "Isolated"},
                         {"invert", false}});
  }
  steps.push_back(byte_level);
  return Json{{"type", "Sequence"}, {"pretokenizers", steps}};
}

Json template_json(const std::vector<TemplateItem>& items) {
  Json out = Json::array();
  for (const TemplateItem& item : items) {
    out.push_back(Json{{item.is_sequence ? "Sequence" : "SpecialToken",
                        Json{{"id", item.id}, {"type_id", item.type_id}}}});
  }
  return out;
}

Json post_processor_step_json(const PostProcessorStep& step) {
  if (step.kind == PostProcessorStep::Kind::byte_level) {
    return byte_level_json("ByteLevel", step.byte_level);
  }
  Json specials = Json::object();
  for (const TemplateSpecialToken& special : step.special_tokens) {
    specials[special.id] = Json{{"id", special.id}, {"ids", special.ids}, {"tokens", special.tokens}};
  }
  return Json{{"type", "TemplateProcessing"},
              {"single", template_json(step.single)},
              {"pair", template_json(step.pair)},
              {"special_tokens", specials}};
}

Json post_processor_json(const PostProcessorSpec& spec) {
  if (spec.steps.empty()) return nullptr;
  if (!spec.is_sequence && spec.steps.size() == 1) return post_processor_step_json(spec.steps[0]);
  Json steps = Json::array();
  for (const PostProcessorStep& step : spec.steps) steps.push_back(post_processor_step_json(step));
  return Json{{"type", "Sequence"}, {"processors", steps}};
}

// The model by hand: ordered_json would take quadratic time over 100k vocabulary entries.
std::string model_text(const BpeModelSpec& model) {
  // The "a b" form is the one every reader knows; pairs are needed once a token has a space.
  bool pairs = false;
  for (const auto& [left, right] : model.merges) {
    if (left.find(' ') != std::string::npos || right.find(' ') != std::string::npos) pairs = true;
  }
  std::string out = "{\n    \"type\": \"BPE\",\n    \"dropout\": null,\n    \"unk_token\": ";
  out += model.unk_token ? dumped(*model.unk_token) : "null";
  out += ",\n    \"continuing_subword_prefix\": null,\n    \"end_of_word_suffix\": null";
  out += ",\n    \"fuse_unk\": " + std::string(model.fuse_unk ? "true" : "false");
  out += ",\n    \"byte_fallback\": false";
  out += ",\n    \"ignore_merges\": " + std::string(model.ignore_merges ? "true" : "false");
  out += ",\n    \"vocab\": {";
  for (std::size_t i = 0; i < model.vocab.size(); ++i) {
    out += i == 0 ? "\n      " : ",\n      ";
    out += dumped(model.vocab[i].first) + ": " + std::to_string(model.vocab[i].second);
  }
  out += model.vocab.empty() ? "}" : "\n    }";
  out += ",\n    \"merges\": [";
  for (std::size_t i = 0; i < model.merges.size(); ++i) {
    out += i == 0 ? "\n      " : ",\n      ";
    const auto& [left, right] = model.merges[i];
    out += pairs ? "[" + dumped(left) + ", " + dumped(right) + "]" : dumped(left + " " + right);
  }
  out += model.merges.empty() ? "]" : "\n    ]";
  out += "\n  }";
  return out;
}

}  // namespace

std::string tokenizer_json_text(const TokenizerSpec& spec) {
  Json added = Json::array();
  for (const AddedToken& token : spec.added_tokens) added.push_back(added_token_json(token));
  const Json normalizer = spec.normalizer == NormalizerKind::nfc ? Json{{"type", "NFC"}} : Json();

  std::string out = "{\n  \"version\": \"1.0\",\n  \"truncation\": null,\n  \"padding\": null";
  out += ",\n  \"added_tokens\": " + indented(dumped(added, 2), 2);
  out += ",\n  \"normalizer\": " + indented(dumped(normalizer, 2), 2);
  out += ",\n  \"pre_tokenizer\": " + indented(dumped(pre_tokenizer_json(spec.pre_tokenizer), 2), 2);
  out += ",\n  \"post_processor\": " +
         indented(dumped(post_processor_json(spec.post_processor), 2), 2);
  out += ",\n  \"decoder\": " + indented(dumped(byte_level_json("ByteLevel", spec.decoder), 2), 2);
  out += ",\n  \"model\": " + model_text(spec.model);
  out += "\n}\n";
  return out;
}

}  // namespace steper::bpe
