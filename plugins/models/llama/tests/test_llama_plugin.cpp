// The plugin through the host's loader: settings checked at their key, a from-scratch student
// that learns its tokenizer, trains until it reproduces its targets, and saves a Hugging Face
// folder that loads again (as a trained student and as a `checkpoint`); training killed
// mid-way resumes from the trainer's checkpoint to the same weights as an uninterrupted run.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "config.hpp"
#include "plugin_loader.hpp"
#include "run_log.hpp"
#include "steper/compute.hpp"
#include "steper/loss.hpp"
#include "steper/model.hpp"
#include "steper/trainable.hpp"
#include "temporary_folder.hpp"
#include "torch/trainer.hpp"

namespace steper {
namespace {

namespace fs = std::filesystem;

using Folder = testing::TemporaryFolder;

constexpr const char* kTinyStudent =
    "layers = 2\nhidden = 64\nheads = 4\nkv_heads = 2\ncontext = 128\ntokenizer_vocab = 600\n"
    "generation_precision = \"fp32\"\n";

class LlamaPlugin : public ::testing::Test {
 protected:
  std::unique_ptr<Model> make(const std::string& settings_toml) {
    const auto path = scratch.path() / ("experiment" + std::to_string(files++) + ".toml");
    std::ofstream(path) << "[student]\nname = \"llama\"\n" << settings_toml;
    const Cell cell = Experiment::load(path.string()).cells().front();
    Settings settings = cell.settings("student");
    auto model = registry.create<Model>(settings.require<std::string>("name"), settings, context);
    settings.reject_unread();
    return model;
  }
  std::string config_error(const std::string& settings_toml) {
    try {
      make(settings_toml);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "(no error)";
  }

  Folder scratch;
  int files = 0;
  PluginRegistry registry{{STEPER_LLAMA_PLUGIN_DIR}};
  RunLog log;
  HostContext context{log, 3, "cpu", scratch.path().string()};
};

std::vector<StepSample> memorable_samples() {
  std::vector<StepSample> samples;
  const char* facts[][2] = {{"Q: Where was Adela Morvan born?\nA:", " Adela Morvan was born in Treviso.\n"},
                            {"Q: Who directed The Glass Orchard?\nA:", " The Glass Orchard was directed by Ilse Varn.\n"},
                            {"Q: Which band did Oren Sallow join?\nA:", " Oren Sallow joined the Pale Hours.\n"},
                            {"Q: Where is Quillmere University?\nA:", " Quillmere University is in Dunmore.\n"}};
  for (const auto& [prompt, target] : facts) samples.push_back({"q", StepKind::first, 1, prompt, target});
  return samples;
}

std::vector<std::string> greedy(Model& model, const std::vector<StepSample>& samples) {
  std::vector<GenerationRequest> requests;
  for (const auto& s : samples) {
    GenerationRequest r;
    r.prompt = s.prompt;
    r.max_new_tokens = 24;
    r.stop = {"\n"};
    requests.push_back(r);
  }
  std::vector<std::string> texts;
  for (const auto& result : model.generate(requests)) texts.push_back(result.text);
  return texts;
}

TEST_F(LlamaPlugin, RejectsBadSettingsAtTheirKey) {
  EXPECT_NE(config_error("hidden = 60\nheads = 8\n").find("a divisor of hidden (60)"), std::string::npos);
  EXPECT_NE(config_error("heads = 4\nkv_heads = 3\n").find("a divisor of heads (4)"), std::string::npos);
  EXPECT_NE(config_error("family = \"gpt2\"\n").find("\"llama\" or \"qwen2\""), std::string::npos);
  EXPECT_NE(config_error("layers = 0\n").find("student.layers"), std::string::npos);
  EXPECT_NE(config_error("dtype = \"int8\"\n").find("\"float32\", \"bfloat16\" or \"float16\""), std::string::npos);
  EXPECT_NE(config_error("tokenizer = \"no_such_tokenizer.json\"\n").find("an existing tokenizer.json"), std::string::npos);
  EXPECT_NE(config_error("checkpoint = \".\"\nlayers = 2\n").find("the checkpoint's config.json"), std::string::npos);
  EXPECT_NE(config_error("width = 3\n").find("unknown key"), std::string::npos);
  // Each size is bounded, and so is what they make together, before anything is allocated.
  EXPECT_NE(config_error("tokenizer_vocab = 4294967808\n").find("student.tokenizer_vocab"), std::string::npos);
  EXPECT_NE(config_error("hidden = 2097152\n").find("a positive number up to 1048576"), std::string::npos);
  EXPECT_NE(config_error("layers = 1048576\nhidden = 65536\nheads = 64\n").find("at most 2^36 parameters"),
            std::string::npos);
  EXPECT_EQ(config_error(kTinyStudent), "(no error)");
}

TEST_F(LlamaPlugin, AStudentWithoutATokenizerSaysHowToGetOne) {
  auto model = make(kTinyStudent);
  EXPECT_THROW(model->count_tokens("hello"), std::runtime_error);
}

TEST_F(LlamaPlugin, LearnsItsSamplesThenSavesAndLoadsAsAHuggingFaceFolder) {
  auto model = make(kTinyStudent);
  TrainableModel& student = *model->trainable();
  const auto samples = memorable_samples();
  student.fit_vocabulary(samples);
  EXPECT_GT(model->count_tokens(samples[0].prompt), 3);

  torch::optim::AdamW optimizer(student.parameters(), torch::optim::AdamWOptions(3e-3));
  student.set_training(true);
  double first = 0, last = 0;
  for (int step = 0; step < 150; ++step) {
    optimizer.zero_grad();
    const auto losses = student.sample_losses(samples);
    const auto loss = losses.per_sample.mean();
    loss.backward();
    optimizer.step();
    (step == 0 ? first : last) = loss.item<double>();
    EXPECT_GT(losses.target_tokens, 0);
    EXPECT_GT(losses.total_tokens, losses.target_tokens);
  }
  EXPECT_LT(last, first / 10) << "first " << first << " last " << last;
  student.set_training(false);
  const auto answers = greedy(*model, samples);
  for (std::size_t i = 0; i < samples.size(); ++i)
    EXPECT_EQ(answers[i] + "\n", samples[i].target) << i;

  Folder saved;
  student.save(saved.path().string());
  for (const char* file : {"config.json", "model.safetensors", "tokenizer.json"})
    EXPECT_TRUE(fs::exists(saved.path() / file)) << file;

  auto reloaded = make(kTinyStudent);
  reloaded->trainable()->load(saved.path().string());
  EXPECT_EQ(greedy(*reloaded, samples), answers);

  auto from_checkpoint = make("checkpoint = \"" + saved.path().string() + "\"\n");
  EXPECT_EQ(greedy(*from_checkpoint, samples), answers);
  EXPECT_EQ(from_checkpoint->trainable()->parameter_count(), student.parameter_count());

  // The checkpoint's tokenizer_config.json is read with its tokenizer.json: a bad one is named.
  std::ofstream(saved.path() / "tokenizer_config.json") << R"({"clean_up_tokenization_spaces": "yes"})";
  auto misconfigured = make("checkpoint = \"" + saved.path().string() + "\"\n");
  try {
    misconfigured->count_tokens("hello");
    ADD_FAILURE() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("tokenizer_config.json: clean_up_tokenization_spaces: expected true or false"),
              std::string::npos) << e.what();
  }
}

// The mean of the per-sample losses: a loss without parameters of its own.
class MeanLoss : public Loss {
 public:
  bool uses(StepKind) const override { return true; }
  at::Tensor combine(const at::Tensor& per_sample, const std::vector<StepKind>&, LossReport&) override {
    return per_sample.mean();
  }
};

struct Interrupted {};

TEST_F(LlamaPlugin, AKilledTrainingResumesToTheSameWeightsAsAnUninterruptedRun) {
  const auto samples = memorable_samples();
  TrainSettings settings;
  settings.steps = 12;
  settings.batch_size = 2;
  settings.lr = 3e-3;
  settings.warmup_steps = 2;
  settings.schedule = "cosine";
  settings.precision = cpu_has_bf16() ? "bf16" : "fp32";  // the autocast path where the CPU has one
  settings.checkpoint_every = 4;
  Folder states, whole_weights, resumed_weights;
  const auto train = [&](const std::string& state_dir, std::function<void(const TrainLogRow&)> on_step) {
    auto model = make(kTinyStudent);
    model->trainable()->fit_vocabulary(samples);
    MeanLoss loss;
    TrainingJob job{*model->trainable(), loss, samples, settings, 5, log, state_dir, {}, std::move(on_step)};
    return std::make_pair(std::move(model), train_student(job));
  };

  const auto [whole, uninterrupted] = train((states.path() / "whole").string(), {});
  EXPECT_EQ(uninterrupted.resumed_from, 0);
  EXPECT_EQ(uninterrupted.precision, settings.precision);
  whole->trainable()->save(whole_weights.path().string());

  const auto killed_dir = (states.path() / "killed").string();
  EXPECT_THROW(train(killed_dir, [](const TrainLogRow& row) {
                 if (row.step == 7) throw Interrupted{};  // after the checkpoint of step 4
               }),
               Interrupted);
  const auto [resumed, summary] = train(killed_dir, {});
  EXPECT_EQ(summary.resumed_from, 4);
  resumed->trainable()->save(resumed_weights.path().string());

  const auto whole_file = testing::read_file(whole_weights.path() / "model.safetensors");
  EXPECT_FALSE(whole_file.empty());
  EXPECT_TRUE(whole_file == testing::read_file(resumed_weights.path() / "model.safetensors"));
}

}  // namespace
}  // namespace steper
