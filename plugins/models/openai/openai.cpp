// The `openai` teacher: a client for an OpenAI-compatible POST /v1/completions endpoint (vLLM,
// llama.cpp's server, TGI). Requests of one generate call run `concurrency` at a time, each
// worker thread on its own connection. README.md lists the settings.
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "client_settings.hpp"
#include "parallel_completions.hpp"
#include "steper/model.hpp"
#include "plugin_support/text.hpp"

namespace {

using steper::GenerationRequest;
using steper::GenerationResult;
using steper::openai::ClientSettings;

class OpenAiModel : public steper::Model {
 public:
  OpenAiModel(steper::Settings& settings, steper::PluginContext& context)
      : context_(context), settings_(ClientSettings::read(settings)) {
    if (settings_.api_key_env.empty()) return;
    const char* key = std::getenv(settings_.api_key_env.c_str());
    if (key && !*key)
      settings.fail("api_key_env", "an environment variable holding the API key; '" + settings_.api_key_env +
                                       "' is set but empty");
    if (key)
      api_key_ = key;
    else  // reported at the first request, so that experiments validate on machines without the key
      missing_key_ = "openai: the environment variable '" + settings_.api_key_env + "' named by " + settings.path() +
                     ".api_key_env (" + settings.location("api_key_env").str() + ") is not set";
  }

  std::vector<GenerationResult> generate(const std::vector<GenerationRequest>& requests) override {
    if (!missing_key_.empty()) throw steper::ConfigError(missing_key_);
    return steper::openai::complete_all(settings_, api_key_, requests,
                                        [this](const std::string& line) { context_.warn(line); });
  }

  int count_tokens(const std::string& text) override { return steper::support::count_words(text); }

 private:
  steper::PluginContext& context_;
  ClientSettings settings_;
  std::optional<std::string> api_key_;
  std::string missing_key_;  // why requests cannot be sent; empty when they can
};

}  // namespace

STEPER_PLUGIN(Model, "openai", "1.0.0", OpenAiModel)
