#include "completion_json.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "plugin_support/text.hpp"

namespace steper::openai {
namespace {

using nlohmann::json;

GenerationResult malformed(const std::string& problem, const std::string& body) {
  GenerationResult result;
  result.finish_reason = "error";
  result.error = "openai: " + problem + " in the server's answer: " + body_snippet(body);
  return result;
}

// OpenAI says "stop" for both a stop string and the end-of-sequence token; vLLM tells them
// apart in stop_reason (the stop string, a stop token id, or null for EOS); TGI has names of
// its own. "" for a finish reason of no known meaning (e.g. vLLM's "abort").
std::string finish_reason_of(const json& choice) {
  const auto it = choice.find("finish_reason");
  const std::string reason = it != choice.end() && it->is_string() ? it->get<std::string>() : "";
  if (reason == "length") return "length";
  if (reason == "eos_token") return "eos";
  if (reason == "stop_sequence") return "stop";
  if (reason != "stop") return "";
  const auto stop_reason = choice.find("stop_reason");
  return stop_reason == choice.end() || stop_reason->is_string() ? "stop" : "eos";
}

}  // namespace

std::string completion_body(const ClientSettings& settings, const GenerationRequest& request) {
  std::vector<std::string> stop = request.stop;
  for (const std::string& extra : settings.stop)
    if (std::find(stop.begin(), stop.end(), extra) == stop.end()) stop.push_back(extra);
  stop.erase(std::remove(stop.begin(), stop.end(), std::string()), stop.end());
  const int max_tokens =
      settings.max_tokens > 0 ? std::min(request.max_new_tokens, settings.max_tokens) : request.max_new_tokens;
  json body = {{"model", settings.model},        {"prompt", request.prompt}, {"max_tokens", max_tokens},
               {"temperature", request.temperature}, {"top_p", request.top_p},   {"seed", request.seed}};
  if (!stop.empty()) body["stop"] = stop;
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

GenerationResult parse_completion(const std::string& body, const GenerationRequest& request) {
  json answer;
  try {
    answer = json::parse(body);
  } catch (const json::exception& e) {  // parse_error, and out_of_range for a number too large
    return malformed(std::string("malformed JSON (") + e.what() + ")", body);
  }
  if (!answer.is_object()) return malformed("no JSON object", body);
  const auto choices = answer.find("choices");
  if (choices == answer.end() || !choices->is_array() || choices->empty() || !(*choices)[0].is_object())
    return malformed("no choices[0]", body);
  const json& choice = (*choices)[0];
  const auto text = choice.find("text");
  if (text == choice.end() || !text->is_string()) return malformed("no string choices[0].text", body);

  GenerationResult result;
  result.text = text->get<std::string>();
  result.finish_reason = finish_reason_of(choice);
  if (result.finish_reason.empty()) return malformed("no finish_reason of stop or length in choices[0]", body);
  const json usage = answer.value("usage", json::object());
  const auto count = [&](const char* field, int words) {
    return usage.is_object() && usage.contains(field) && usage[field].is_number_integer() ? usage[field].get<int>() : words;
  };
  result.prompt_tokens = count("prompt_tokens", support::count_words(request.prompt));
  result.generated_tokens = count("completion_tokens", support::count_words(result.text));
  return result;
}

std::string body_snippet(const std::string& body) {
  constexpr std::size_t kLength = 200;
  std::string snippet = body.substr(0, kLength);
  std::replace(snippet.begin(), snippet.end(), '\n', ' ');
  std::replace(snippet.begin(), snippet.end(), '\r', ' ');
  if (body.size() > kLength) snippet += "...";
  return snippet.empty() ? "(an empty body)" : "'" + snippet + "'";
}

}  // namespace steper::openai
