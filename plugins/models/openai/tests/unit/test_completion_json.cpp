// The request body and the reading of answers from vLLM, llama.cpp's server and TGI.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "completion_json.hpp"

namespace steper::openai {
namespace {

using nlohmann::json;

GenerationRequest request() {
  GenerationRequest r;
  r.prompt = "Q: Where is Paris?\nA:";
  r.max_new_tokens = 64;
  r.stop = {"\n", ""};
  return r;
}

TEST(CompletionJson, MakesTheBody) {
  ClientSettings settings;
  settings.model = "teacher";
  const json plain = json::parse(completion_body(settings, request()));
  EXPECT_EQ(plain, json::parse(R"({"model": "teacher", "prompt": "Q: Where is Paris?\nA:", "max_tokens": 64,
                                   "temperature": 0.0, "top_p": 1.0, "seed": 0, "stop": ["\n"]})"));
  settings.max_tokens = 16;
  settings.stop = {"\n", "Q:"};
  const json capped = json::parse(completion_body(settings, request()));
  EXPECT_EQ(capped["max_tokens"], 16);
  EXPECT_EQ(capped["stop"], json({"\n", "Q:"}));
  GenerationRequest no_stop = request();
  no_stop.stop.clear();
  settings.stop.clear();
  EXPECT_FALSE(json::parse(completion_body(settings, no_stop)).contains("stop"));
  no_stop.prompt = "bad \xff byte";
  EXPECT_EQ(json::parse(completion_body(settings, no_stop))["prompt"], "bad \xef\xbf\xbd byte");
}

TEST(CompletionJson, ReadsFinishReasonsOfEachServer) {
  const auto finish = [](const std::string& choice_fields) {
    return parse_completion(R"({"choices": [{"text": "x", )" + choice_fields + "}]}", request()).finish_reason;
  };
  EXPECT_EQ(finish(R"("finish_reason": "length")"), "length");
  EXPECT_EQ(finish(R"("finish_reason": "stop", "stop_reason": "\n")"), "stop");  // vLLM, a stop string
  EXPECT_EQ(finish(R"("finish_reason": "stop", "stop_reason": null)"), "eos");   // vLLM, end of sequence
  EXPECT_EQ(finish(R"("finish_reason": "stop", "stop_reason": 128009)"), "eos"); // vLLM, a stop token
  EXPECT_EQ(finish(R"("finish_reason": "stop")"), "stop");                      // llama.cpp, OpenAI
  EXPECT_EQ(finish(R"("finish_reason": "eos_token")"), "eos");                  // TGI
  EXPECT_EQ(finish(R"("finish_reason": "stop_sequence")"), "stop");             // TGI
  EXPECT_EQ(finish(R"("finish_reason": "abort")"), "error");
  EXPECT_EQ(finish(R"("finish_reason": null)"), "error");
}

TEST(CompletionJson, CountsWordsWhenUsageIsMissing) {
  const GenerationResult counted = parse_completion(
      R"({"choices": [{"text": " Paris.", "finish_reason": "length"}], "usage": {"prompt_tokens": 9, "completion_tokens": 2}})",
      request());
  EXPECT_EQ(counted.prompt_tokens, 9);
  EXPECT_EQ(counted.generated_tokens, 2);
  const GenerationResult estimated =
      parse_completion(R"({"choices": [{"text": " Paris is.", "finish_reason": "length"}], "usage": null})", request());
  EXPECT_EQ(estimated.prompt_tokens, 5);
  EXPECT_EQ(estimated.generated_tokens, 2);
}

TEST(CompletionJson, ReportsMalformedAnswers) {
  const auto error = [](const std::string& body) {
    const GenerationResult result = parse_completion(body, request());
    EXPECT_EQ(result.finish_reason, "error") << body;
    return result.error;
  };
  EXPECT_EQ(error("[1]"), "openai: no JSON object in the server's answer: '[1]'");
  EXPECT_EQ(error(R"({"choices": []})"), "openai: no choices[0] in the server's answer: '{\"choices\": []}'");
  EXPECT_EQ(error(R"({"choices": [{"text": 5, "finish_reason": "stop"}]})"),
            "openai: no string choices[0].text in the server's answer: '{\"choices\": [{\"text\": 5, \"finish_reason\": "
            "\"stop\"}]}'");
  EXPECT_NE(error("").find("malformed JSON"), std::string::npos);
  EXPECT_NE(error("").find("(an empty body)"), std::string::npos);
  const std::string long_body = "<html>\n" + std::string(300, 'x');
  const std::string snippet = error(long_body);
  EXPECT_EQ(snippet.substr(snippet.find("answer: ") + 8), "'<html> " + std::string(193, 'x') + "...'");
}

}  // namespace
}  // namespace steper::openai
