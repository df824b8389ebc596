#include "tokenizer_json_read.hpp"

#include <algorithm>
#include <set>

#include "json_cursor.hpp"

namespace steper::bpe {
namespace {

std::string type_of(const JsonCursor& component) {
  return std::string(component.member("type").string());
}

[[noreturn]] void unsupported(const JsonCursor& component, const std::string& kind,
                              const std::string& supported) {
  component.member("type").fail("unsupported " + kind + " type \"" + type_of(component) +
                                "\" (supported: " + supported + ")");
}

AddedToken read_added_token(const JsonCursor& at) {
  AddedToken token;
  token.id = at.member("id").id();
  token.content = std::string(at.member("content").string());
  if (token.content.empty()) at.member("content").fail("an added token cannot be empty");
  token.special = at.boolean_or("special", false);
  token.single_word = at.boolean_or("single_word", false);
  token.lstrip = at.boolean_or("lstrip", false);
  token.rstrip = at.boolean_or("rstrip", false);
  token.normalized = at.boolean_or("normalized", !token.special);  // Hugging Face's default
  return token;
}

NormalizerKind read_normalizer(const std::optional<JsonCursor>& at) {
  if (!at) return NormalizerKind::none;
  if (type_of(*at) != "NFC") unsupported(*at, "normalizer", "NFC, or null");
  return NormalizerKind::nfc;
}

ByteLevelOptions read_byte_level(const JsonCursor& at) {
  ByteLevelOptions options;
  options.add_prefix_space = at.boolean_or("add_prefix_space", false);
  options.trim_offsets = at.boolean_or("trim_offsets", true);
  options.use_regex = at.boolean_or("use_regex", true);
  return options;
}

// add_prefix_space changes what a pre-tokenizer emits, and the references disagree on its
// default (Hugging Face requires it, transformers.js takes false): it must be written out.
ByteLevelOptions read_byte_level_pre_tokenizer(const JsonCursor& at) {
  ByteLevelOptions options = read_byte_level(at);
  options.add_prefix_space = at.member("add_prefix_space").boolean();
  return options;
}

SplitRule read_split(const JsonCursor& at) {
  const JsonCursor behavior = at.member("behavior");
  if (behavior.string() != "Isolated") {
    behavior.fail("unsupported split behavior \"" + std::string(behavior.string()) +
                  "\" (supported: Isolated)");
  }
  if (at.boolean_or("invert", false)) at.member("invert").fail("invert true is not supported");
  const JsonCursor pattern = at.member("pattern");
  if (const auto regex = pattern.optional_member("Regex")) return {std::string(regex->string()), true};
  if (const auto literal = pattern.optional_member("String")) {
    return {std::string(literal->string()), false};
  }
  pattern.fail("expected {\"Regex\": ...} or {\"String\": ...}");
}

PreTokenizerSpec read_pre_tokenizer(const std::optional<JsonCursor>& at, const JsonCursor& root) {
  if (!at) {
    root.fail("pre_tokenizer is null; byte-level BPE needs a ByteLevel pre-tokenizer");
  }
  PreTokenizerSpec spec;
  const std::string type = type_of(*at);
  if (type == "ByteLevel") {
    spec.byte_level = read_byte_level_pre_tokenizer(*at);
    spec.is_sequence = false;
    return spec;
  }
  if (type != "Sequence") unsupported(*at, "pre-tokenizer", "ByteLevel, Sequence");
  const JsonCursor steps = at->member("pretokenizers");
  const std::size_t count = steps.array_size();
  const auto needs_byte_level_last = [&] {
    steps.fail("byte-level BPE needs a ByteLevel pre-tokenizer as the last of the sequence");
  };
  if (count == 0) needs_byte_level_last();
  std::size_t index = 0;
  steps.for_each_element([&](const JsonCursor& step) {
    const std::string type = type_of(step);
    if (++index == count) {
      if (type != "ByteLevel") needs_byte_level_last();
      spec.byte_level = read_byte_level_pre_tokenizer(step);
    } else {
      if (type != "Split") unsupported(step, "pre-tokenizer (before the final ByteLevel)", "Split");
      spec.splits.push_back(read_split(step));
    }
  });
  return spec;
}

std::vector<TemplateItem> read_template(const JsonCursor& at,
                                        const std::set<std::string>& special_names) {
  std::vector<TemplateItem> items;
  at.for_each_element([&](const JsonCursor& item) {
    TemplateItem parsed;
    std::optional<JsonCursor> body = item.optional_member("SpecialToken");
    if (!body) {
      body = item.optional_member("Sequence");
      if (!body) item.fail("expected {\"SpecialToken\": ...} or {\"Sequence\": ...}");
      parsed.is_sequence = true;
    }
    parsed.id = std::string(body->member("id").string());
    parsed.type_id = body->member("type_id").uint32();
    if (parsed.is_sequence && parsed.id != "A" && parsed.id != "B") {
      body->member("id").fail("expected sequence \"A\" or \"B\", found \"" + parsed.id + "\"");
    }
    if (!parsed.is_sequence && special_names.count(parsed.id) == 0) {
      body->member("id").fail("special token \"" + parsed.id +
                              "\" is not among the template's special_tokens");
    }
    items.push_back(std::move(parsed));
  });
  return items;
}

PostProcessorStep read_template_processing(const JsonCursor& at) {
  PostProcessorStep step;
  step.kind = PostProcessorStep::Kind::template_processing;
  const JsonCursor specials = at.member("special_tokens");
  specials.for_each_member([&](std::string_view name, const JsonCursor& entry) {
    TemplateSpecialToken special;
    special.id = std::string(entry.member("id").string());
    entry.member("ids").for_each_element(
        [&](const JsonCursor& id) { special.ids.push_back(id.id()); });
    entry.member("tokens").for_each_element(
        [&](const JsonCursor& token) { special.tokens.emplace_back(token.string()); });
    if (special.id != name) {
      entry.member("id").fail("expected \"" + std::string(name) + "\" (the entry's key), found \"" +
                              special.id + "\"");
    }
    step.special_tokens.push_back(std::move(special));
  });
  std::set<std::string> names;
  for (const TemplateSpecialToken& special : step.special_tokens) names.insert(special.id);
  step.single = read_template(at.member("single"), names);
  step.pair = read_template(at.member("pair"), names);
  const auto is_sequence = [](const TemplateItem& item) { return item.is_sequence; };
  const auto sequences = std::count_if(step.single.begin(), step.single.end(), is_sequence);
  const auto a = std::find_if(step.single.begin(), step.single.end(), is_sequence);
  if (sequences != 1 || a->id != "A") {
    at.member("single").fail("expected exactly one sequence, \"A\"");
  }
  return step;
}

PostProcessorStep read_post_processor_step(const JsonCursor& at) {
  const std::string type = type_of(at);
  if (type == "TemplateProcessing") return read_template_processing(at);
  if (type != "ByteLevel") {
    unsupported(at, "post-processor", "TemplateProcessing, ByteLevel, Sequence of them, or null");
  }
  PostProcessorStep step;
  step.kind = PostProcessorStep::Kind::byte_level;
  step.byte_level = read_byte_level(at);
  return step;
}

PostProcessorSpec read_post_processor(const std::optional<JsonCursor>& at) {
  PostProcessorSpec spec;
  if (!at) return spec;
  if (type_of(*at) != "Sequence") {
    spec.steps.push_back(read_post_processor_step(*at));
    return spec;
  }
  spec.is_sequence = true;
  at->member("processors").for_each_element(
      [&](const JsonCursor& step) { spec.steps.push_back(read_post_processor_step(step)); });
  return spec;
}

ByteLevelOptions read_decoder(const std::optional<JsonCursor>& at, const JsonCursor& root) {
  if (!at) root.fail("decoder is null; byte-level BPE needs a ByteLevel decoder");
  if (type_of(*at) != "ByteLevel") unsupported(*at, "decoder", "ByteLevel");
  return read_byte_level(*at);
}

std::pair<std::string, std::string> read_merge(const JsonCursor& at) {
  if (at.is_array()) {
    if (at.array_size() != 2) at.fail("expected a pair [left, right]");
    std::vector<std::string> pair;
    at.for_each_element([&](const JsonCursor& token) { pair.emplace_back(token.string()); });
    return {std::move(pair[0]), std::move(pair[1])};
  }
  const std::string_view text = at.string();
  const std::size_t space = text.find(' ');
  if (space == std::string::npos || text.find(' ', space + 1) != std::string::npos) {
    at.fail("expected \"left right\" (two tokens separated by one space), found \"" +
            std::string(text) + "\"");
  }
  return {std::string(text.substr(0, space)), std::string(text.substr(space + 1))};
}

void require_absent_or(const JsonCursor& model, std::string_view key, const std::string& why) {
  const std::optional<JsonCursor> field = model.optional_member(key);
  if (!field) return;
  if (field->is_string() && field->string().empty()) return;
  if (field->is_boolean() && !field->boolean()) return;
  field->fail(why);
}

BpeModelSpec read_model(const JsonCursor& at) {
  const std::string type = type_of(at);
  if (type != "BPE") unsupported(at, "model", "BPE");
  require_absent_or(at, "dropout", "BPE dropout is not supported (encoding is deterministic)");
  require_absent_or(at, "continuing_subword_prefix", "a continuing-subword prefix is not supported");
  require_absent_or(at, "end_of_word_suffix", "an end-of-word suffix is not supported");
  require_absent_or(at, "byte_fallback", "byte_fallback is not supported (byte-level BPE needs none)");

  BpeModelSpec spec;
  if (const auto unk = at.optional_member("unk_token")) spec.unk_token = std::string(unk->string());
  spec.fuse_unk = at.boolean_or("fuse_unk", false);
  spec.ignore_merges = at.boolean_or("ignore_merges", false);

  at.member("vocab").for_each_member([&](std::string_view token, const JsonCursor& id) {
    spec.vocab.emplace_back(std::string(token), id.id());
  });
  std::stable_sort(spec.vocab.begin(), spec.vocab.end(),
            [](const auto& a, const auto& b) { return a.second < b.second; });

  const JsonCursor merges = at.member("merges");
  spec.merges.reserve(merges.array_size());
  merges.for_each_element([&](const JsonCursor& merge) { spec.merges.push_back(read_merge(merge)); });
  return spec;
}

}  // namespace

TokenizerSpec read_tokenizer_spec(simdjson::dom::element document) {
  const JsonCursor root(document);
  root.member("model");  // a document that is no object, or lacks the model, fails here first
  for (const char* unsupported_part : {"truncation", "padding"}) {
    if (const auto part = root.optional_member(unsupported_part)) {
      part->fail("expected null (truncation and padding belong to the caller, not the tokenizer)");
    }
  }
  TokenizerSpec spec;
  if (const auto added = root.optional_member("added_tokens")) {
    added->for_each_element(
        [&](const JsonCursor& token) { spec.added_tokens.push_back(read_added_token(token)); });
  }
  spec.normalizer = read_normalizer(root.optional_member("normalizer"));
  spec.pre_tokenizer = read_pre_tokenizer(root.optional_member("pre_tokenizer"), root);
  spec.post_processor = read_post_processor(root.optional_member("post_processor"));
  spec.decoder = read_decoder(root.optional_member("decoder"), root);
  spec.model = read_model(root.member("model"));
  return spec;
}

}  // namespace steper::bpe
