#include "cell_stages.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "plugin_tables.hpp"
#include "pretrain_material.hpp"
#include "pretrain_settings.hpp"
#include "steper/fingerprint.hpp"
#include "steper/loss.hpp"
#include "steper/metrics.hpp"
#include "steper/trainable.hpp"
#include "torch/pretrainer.hpp"
#include "torch/trainer.hpp"
#include "trajectory_io.hpp"
#include "trajectory_stats.hpp"

namespace steper {
namespace fs = std::filesystem;
namespace {

// Times a stage and logs how long it took.
class StageTimer {
 public:
  StageTimer(RunLog& log, std::string stage) : log_(log), stage_(std::move(stage)), start_(Clock::now()) {}
  void done(const std::string& note = "") {
    const double seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    log_.info(fmt::format("stage {}: {:.2f} s{}", stage_, seconds, note.empty() ? "" : " (" + note + ")"));
  }

 private:
  using Clock = std::chrono::steady_clock;
  RunLog& log_;
  std::string stage_;
  Clock::time_point start_;
};

// Teacher trajectories are saved in chunks of this many questions as the stage goes.
constexpr std::size_t kTeacherChunk = 128;

bool ended_in_error(const Trajectory& t) { return t.end_reason.rfind("error", 0) == 0; }

// Fails the cell when more than `max_rate` of `trajectories` ended in a model error.
void check_error_rate(const std::vector<Trajectory>& trajectories, double max_rate, const std::string& what) {
  const auto failed = std::count_if(trajectories.begin(), trajectories.end(), ended_in_error);
  if (failed == 0 || failed <= max_rate * static_cast<double>(trajectories.size())) return;
  const auto first = std::find_if(trajectories.begin(), trajectories.end(), ended_in_error);
  throw std::runtime_error(fmt::format("{}: {} of {} questions failed (more than run.max_error_rate = {}); the "
                                       "first, '{}': {}",
                                       what, failed, trajectories.size(), max_rate, first->question_id,
                                       first->end_reason));
}

// Runs the framework over `questions` chunk by chunk, saving each chunk in `partial_dir` as it
// completes, so a stage killed part-way resumes after its last saved chunk. Questions of a saved
// chunk whose model calls failed are asked again.
std::vector<Trajectory> run_resumably(Framework& framework, Model& model, Retriever& retriever, const Corpus& corpus,
                                      const std::vector<Question>& questions, const fs::path& partial_dir,
                                      RunLog& log) {
  fs::create_directories(partial_dir);
  std::vector<Trajectory> all;
  std::size_t resumed = 0, retried = 0;
  for (std::size_t begin = 0; begin < questions.size(); begin += kTeacherChunk) {
    const std::size_t end = std::min(questions.size(), begin + kTeacherChunk);
    const std::vector<Question> chunk(questions.begin() + static_cast<std::ptrdiff_t>(begin),
                                      questions.begin() + static_cast<std::ptrdiff_t>(end));
    const fs::path file = partial_dir / fmt::format("chunk-{:08d}.json", begin / kTeacherChunk);
    std::vector<Trajectory> done;
    if (fs::exists(file)) {
      done = read_trajectories(file.string());
      bool matches = done.size() == chunk.size();
      for (std::size_t i = 0; matches && i < chunk.size(); ++i) matches = done[i].question_id == chunk[i].id;
      if (matches) resumed += chunk.size();
      else done.clear();  // saved for other questions: redo
    }
    std::vector<std::size_t> ask;  // positions in the chunk to (re)generate
    for (std::size_t i = 0; i < chunk.size(); ++i)
      if (done.empty() || ended_in_error(done[i])) ask.push_back(i);
    if (!ask.empty()) {
      std::vector<Question> asked;
      for (const std::size_t i : ask) asked.push_back(chunk[i]);
      std::vector<Trajectory> answered = framework.run(asked, model, retriever, corpus);
      if (answered.size() != asked.size())
        throw std::runtime_error(fmt::format("the framework returned {} trajectories for {} questions",
                                             answered.size(), asked.size()));
      if (done.empty()) {
        done = std::move(answered);
      } else {
        retried += ask.size();
        for (std::size_t j = 0; j < ask.size(); ++j) done[ask[j]] = std::move(answered[j]);
      }
      write_trajectories(file.string() + ".tmp", done);
      fs::rename(file.string() + ".tmp", file);
      log.info(fmt::format("teacher: {} of {} questions done", end, questions.size()));
    }
    for (auto& t : done) all.push_back(std::move(t));
  }
  if (resumed > 0)
    log.info(fmt::format("teacher: resumed {} questions from '{}', asked {} that had failed again", resumed,
                         partial_dir.string(), retried));
  return all;
}

double mean_steps(const std::vector<Trajectory>& trajectories) {
  if (trajectories.empty()) return Metrics::kNaN;
  double steps = 0;
  for (const auto& t : trajectories) steps += static_cast<double>(t.steps.size());
  return steps / static_cast<double>(trajectories.size());
}

std::vector<Question> first_n(std::vector<Question> questions, int n) {
  if (n > 0 && questions.size() > static_cast<std::size_t>(n)) questions.resize(n);
  return questions;
}

// The dev score (percent) of `model` on `questions` by `metric` ("acc", "em" or "f1").
double dev_score(Framework& framework, Model& model, Retriever& retriever, const Corpus& corpus,
                 const std::vector<Question>& questions, const std::string& metric) {
  const std::vector<Trajectory> predictions = framework.run(questions, model, retriever, corpus);
  double total = 0;
  for (std::size_t i = 0; i < questions.size(); ++i) {
    const AnswerScores scores = score_answer(predictions.at(i).answer, questions[i].answers);
    total += metric == "em" ? scores.em : metric == "f1" ? scores.f1 : scores.acc;
  }
  return 100.0 * total / static_cast<double>(std::max<std::size_t>(questions.size(), 1));
}

std::vector<PredictionRow> score_predictions(const std::vector<Question>& questions,
                                             const std::vector<Trajectory>& trajectories, Metrics& metrics) {
  std::vector<PredictionRow> rows;
  double em = 0, f1 = 0, acc = 0;
  for (std::size_t i = 0; i < questions.size(); ++i) {
    const Trajectory& t = trajectories[i];
    PredictionRow row;
    row.question_id = questions[i].id;
    row.prediction = t.answer;
    row.golds = questions[i].answers;
    const AnswerScores scores = score_answer(t.answer, questions[i].answers);
    row.em = scores.em;
    row.f1 = scores.f1;
    row.acc = scores.acc;
    row.steps = static_cast<int>(t.steps.size());
    std::set<std::string> seen;
    for (const auto& step : t.steps)
      for (const auto& id : step.paragraph_ids)
        if (seen.insert(id).second) row.retrieved_ids.push_back(id);
    em += scores.em;
    f1 += scores.f1;
    acc += scores.acc;
    rows.push_back(std::move(row));
  }
  const double n = std::max<std::size_t>(questions.size(), 1);
  metrics.em = 100.0 * em / n;
  metrics.f1 = 100.0 * f1 / n;
  metrics.acc = 100.0 * acc / n;
  metrics.questions = static_cast<std::int64_t>(questions.size());
  const AbilityScores abilities = ability_scores(questions, trajectories);
  metrics.ability_initialization = abilities.initialization;
  metrics.ability_expansion = abilities.expansion;
  metrics.ability_aggregation = abilities.aggregation;
  metrics.recall_per_step = recall_per_step(questions, trajectories);
  metrics.steps_mean = mean_steps(trajectories);
  for (const auto& t : trajectories) {
    if (ended_in_error(t)) ++metrics.ended_error;
    else if (!t.answer_found) ++metrics.ended_no_answer;
  }
  return rows;
}

// What a stage's cache key needs of a plugin: its settings as written and its version (a
// plugin bumps its version when its defaults or results change).
std::string plugin_key(const Cell& cell, const std::string& table, const PluginRegistry& registry) {
  const std::string name = cell.settings(table).get<std::string>("name", "");
  return table_text(cell, table) + "@" + registry.find(plugin_kind_of_table(table), name).version + "\n";
}

void check_one_per_question(const std::vector<Trajectory>& trajectories, const std::vector<Question>& questions,
                            const Cell& cell) {
  if (trajectories.size() != questions.size())
    throw std::runtime_error(fmt::format("framework '{}' returned {} trajectories for {} questions",
                                         cell.settings("framework").get<std::string>("name", ""),
                                         trajectories.size(), questions.size()));
}

// Bump when the pretraining stream or loop changes what a given [pretrain] table produces.
constexpr const char* kPretrainVersion = "pretrain-v1";

// The student made a reader on generated worlds before distillation ([pretrain]), cached
// under a key of everything it depends on (not the cell's seed: cells of every seed share
// it) and loaded into `student`. Returns that key; "" when the cell does not pretrain.
std::string pretrain_stage(OpenCell& open, Model& student, ResultWriter& writer, Metrics& metrics) {
  const Cell& cell = open.cell;
  const PluginRegistry& registry = open.registry;
  const ArtifactCache& cache = open.cache;
  RunLog& log = open.log;
  const PretrainSettings settings = PretrainSettings::read(cell.settings("pretrain"));
  if (!settings.enabled()) return "";
  StageTimer timer(log, "pretrain");
  TrainableModel& trainable = *student.trainable();
  const Settings table = cell.settings("pretrain");
  auto plugin_of = [&](const char* plugin, PluginKind kind) {
    const Settings plugin_table = table.table(plugin);
    return plugin_table.to_toml() + "@" + registry.find(kind, plugin_table.get<std::string>("name", "")).version + "\n";
  };
  const std::string key =
      stable_hash(std::string(kPretrainVersion) + "\n" + settings.key_text() + plugin_of("world", PluginKind::dataset) +
                  plugin_of("teacher", PluginKind::model) +
                  plugin_key(cell, "framework", registry) + plugin_key(cell, "retriever", registry) +
                  plugin_key(cell, "student", registry) + student.fingerprint() + train_precision(settings.optimisation));
  const fs::path state_dir = fs::path(cache.root()) / "pretrain" / (key + ".partial");
  const fs::path scratch = fs::path(cache.root()) / "scratch" / ("pretrain-" + key);
  bool built = false;
  const std::string dir = cache.get_or_build(
      "pretrain", key,
      [&](const std::string& out) {
        ReadingWorlds worlds(cell, registry, settings, log, scratch.string());
        PretrainStream stream(worlds, settings);
        trainable.fit_vocabulary(stream.tokenizer_samples());
        std::vector<ReadingWorld> gate = worlds.gate_worlds();
        PretrainJob job{trainable, settings, [&](std::int64_t step) { return stream.batch(step); }, log,
                        state_dir.string(), [&] { return reading_accuracy(worlds.framework(), student, gate, log); }, {}};
        const TrainSummary summary = pretrain(job);
        trainable.save(out);
        write_train_log(out + "/train_log.json", summary.rows);
      },
      &built, {state_dir.string(), scratch.string()});
  trainable.load(dir);
  const std::vector<TrainLogRow> rows = read_train_log(dir + "/train_log.json");
  for (const auto& row : rows) writer.append_pretrain_log(row);
  metrics.pretrain_reading_acc = rows.empty() ? Metrics::kNaN : rows.back().dev_score;
  timer.done(fmt::format("{}; reading accuracy {:.2f}% on unseen worlds", built ? "pretrained" : "cached",
                         metrics.pretrain_reading_acc));
  if (!(metrics.pretrain_reading_acc >= settings.gate_min))
    throw std::runtime_error(fmt::format(
        "the pretrained reader '{}' answers {:.2f}% of the gate's single-hop questions exactly, below "
        "pretrain.gate_min = {}: pretrain longer (pretrain.steps) or change the stream",
        dir, metrics.pretrain_reading_acc, settings.gate_min));
  return key;
}

}  // namespace

std::string table_text(const Cell& cell, const std::string& table) { return cell.settings(table).to_toml(); }

OpenCell::OpenCell(const Cell& cell_, const PluginRegistry& registry_, const ArtifactCache& cache_, RunLog& log_)
    : cell(cell_), registry(registry_), cache(cache_), log(log_), run(RunSettings::read(cell.settings("run"))),
      eval(EvalSettings::read(cell.settings("eval"))), train(TrainSettings::read(cell.settings("train"))),
      context(log, cell.seed(), run.device, (fs::path(cache.root()) / "scratch" / cell.id()).string()) {
  StageTimer data_timer(log, "data");
  dataset = make<Dataset>("dataset");
  corpus = Corpus(dataset->corpus());
  eval_questions = first_n(dataset->questions(eval.split), eval.questions);
  data_timer.done(fmt::format("{} paragraphs, {} {} questions", corpus.size(), eval_questions.size(),
                              to_string(eval.split)));

  StageTimer index_timer(log, "index");
  retriever = make<Retriever>("retriever");
  index_key = stable_hash("index\n" + plugin_key(cell, "dataset", registry) + dataset->fingerprint() +
                          plugin_key(cell, "retriever", registry) + retriever->fingerprint());
  bool built = false;
  const std::string dir = cache.get_or_build(
      "index", index_key, [&](const std::string& folder) { retriever->index_build(corpus, folder); }, &built);
  retriever->index_load(corpus, dir);
  index_timer.done(built ? "built" : "cached");

  framework = make<Framework>("framework");
  teacher = make<Model>("teacher");
}

std::string OpenCell::teacher_key() const {
  return stable_hash("teacher\n" + index_key + plugin_key(cell, "framework", registry) +
                     plugin_key(cell, "teacher", registry) + teacher->fingerprint() + std::to_string(cell.seed()));
}

TeacherSamples teacher_stage(OpenCell& open, ResultWriter& writer, Metrics& metrics) {
  StageTimer timer(open.log, "teacher");
  const TrainSettings& train = open.train;
  const std::vector<Question> questions = open.dataset->questions(Split::train);
  TeacherSamples taught{open.teacher_key(), {}};
  bool built = false;
  std::vector<Trajectory> trajectories;
  // Only a stage where every question succeeded is cached; one with failed questions (within
  // run.max_error_rate) serves this cell, and its partial keeps the rest for the next run's retry.
  const fs::path partial = fs::path(open.cache.root()) / "teacher" / (taught.key + ".partial");
  const std::optional<std::string> dir = open.cache.get_or_try_build(
      "teacher", taught.key,
      [&](const std::string& out) {
        trajectories =
            run_resumably(*open.framework, *open.teacher, *open.retriever, open.corpus, questions, partial, open.log);
        check_one_per_question(trajectories, questions, open.cell);
        if (std::any_of(trajectories.begin(), trajectories.end(), ended_in_error)) return false;
        write_trajectories(out + "/trajectories.json", trajectories);
        return true;
      },
      &built, {partial.string()});
  if (dir) {
    if (!built) trajectories = read_trajectories(*dir + "/trajectories.json");
    if (trajectories.size() != questions.size())
      throw std::runtime_error(fmt::format("cached teacher trajectories '{}' hold {} trajectories for {} questions",
                                           *dir, trajectories.size(), questions.size()));
  }
  check_error_rate(trajectories, open.run.max_error_rate, "teacher stage");
  std::vector<std::string> verdicts;
  for (std::size_t i = 0; i < trajectories.size(); ++i) {
    const FilterOutcome outcome =
        filter_trajectory(trajectories[i], questions[i], train.filter, train.bridge_filter, open.corpus);
    verdicts.push_back(to_string(outcome));
    switch (outcome) {
      case FilterOutcome::error: ++metrics.teacher_filtered_error; continue;
      case FilterOutcome::no_answer: ++metrics.teacher_filtered_no_answer; continue;
      case FilterOutcome::wrong_answer: ++metrics.teacher_filtered_wrong; continue;
      case FilterOutcome::unsupported_bridge: ++metrics.teacher_filtered_bridge; continue;
      case FilterOutcome::kept: break;
    }
    ++metrics.teacher_kept;
    for (auto& sample : open.framework->step_samples(questions[i], trajectories[i], open.corpus)) {
      ++metrics.samples_per_kind[static_cast<int>(sample.kind)];
      taught.samples.push_back(std::move(sample));
    }
  }
  metrics.teacher_trajectories = static_cast<std::int64_t>(trajectories.size());
  metrics.teacher_steps_mean = mean_steps(trajectories);
  metrics.teacher_recall_per_step = recall_per_step(questions, trajectories);
  if (open.eval.teacher_trajectories) writer.write_teacher_trajectories(trajectories, verdicts);
  timer.done(fmt::format("{}; kept {} of {} trajectories by {}; samples first/mid/final {}/{}/{}",
                         !built ? "cached" : dir ? "generated" : "generated with failed questions, not cached",
                         metrics.teacher_kept, trajectories.size(), train.filter,
                         metrics.samples_per_kind[0], metrics.samples_per_kind[1], metrics.samples_per_kind[2]));
  return taught;
}

std::unique_ptr<Model> train_stage(OpenCell& open, const TeacherSamples& taught, ResultWriter& writer,
                                   Metrics& metrics, CellInfo& info, const CellProcess& process) {
  StageTimer timer(open.log, "train");
  const Cell& cell = open.cell;
  const TrainSettings& train = open.train;
  std::unique_ptr<Model> student = open.make<Model>("student");
  auto loss = open.make<Loss>("loss");
  TrainableModel* trainable = student->trainable();
  if (!trainable) cell.settings("student").fail("name", "a trainable model (this one only generates)");
  const std::string pretrain_key = pretrain_stage(open, *student, writer, metrics);
  const std::string checkpoint_key =
      stable_hash("checkpoint\n" + taught.key + pretrain_key + plugin_key(cell, "student", open.registry) +
                  student->fingerprint() + plugin_key(cell, "loss", open.registry) + table_text(cell, "train") +
                  train_precision(train) + std::to_string(cell.seed()));
  // Resumable checkpoints live beside the cache entry until training completes.
  const fs::path state_dir = fs::path(open.cache.root()) / "checkpoint" / (checkpoint_key + ".partial");
  const std::vector<Question> dev_questions =
      train.eval_every > 0 ? first_n(open.dataset->questions(Split::dev), train.dev_questions) : std::vector<Question>{};
  if (train.eval_every > 0 && dev_questions.empty())
    cell.settings("train").fail("eval_every", "0: the dataset has no dev questions to evaluate on");
  auto train_here = [&] {
    trainable->fit_vocabulary(taught.samples);
    TrainingJob job{*trainable, *loss, taught.samples, train, cell.seed(), open.log, state_dir.string(), {},
                    [&](const TrainLogRow& row) { writer.append_train_log(row); }};
    if (!dev_questions.empty())
      job.evaluate_dev = [&] {
        return dev_score(*open.framework, *student, *open.retriever, open.corpus, dev_questions, train.dev_metric);
      };
    ParallelTraining parallel(train, process, open.log);
    job.parallel = parallel.group();
    TrainSummary summary = train_student(job);
    parallel.finish();
    return summary;
  };
  if (process.group && process.group->rank > 0) {  // a helper rank: rank 0 keeps the checkpoint
    if (!open.cache.has("checkpoint", checkpoint_key)) train_here();
    return nullptr;
  }
  bool built = false;
  const std::string checkpoint_dir = open.cache.get_or_build(
      "checkpoint", checkpoint_key,
      [&](const std::string& dir) {
        const TrainSummary summary = train_here();
        trainable->save(dir);
        write_train_log(dir + "/train_log.json", summary.rows);
      },
      &built, {state_dir.string()});
  if (!built) {
    trainable->load(checkpoint_dir);
    const std::vector<TrainLogRow> rows = read_train_log(checkpoint_dir + "/train_log.json");
    if (rows.empty() && (train.steps > 0 || train.epochs > 0))
      throw std::runtime_error("the cached checkpoint '" + checkpoint_dir +
                               "' has an empty training log: it was not written by a finished training; delete it "
                               "to train again");
    for (const auto& row : rows) writer.append_train_log(row);
  }
  trainable->set_training(false);
  metrics.student_parameters = trainable->parameter_count();
  info.train_precision = train_precision(train);
  timer.done(built ? "trained" : "cached checkpoint");
  return student;
}

void evaluate_stage(OpenCell& open, Model& model, ResultWriter& writer, Metrics& metrics) {
  StageTimer timer(open.log, "evaluate");
  if (open.eval_questions.empty())
    throw std::runtime_error(fmt::format("the {} split has no questions: nothing to evaluate (a cell over no "
                                         "questions is never reported complete)",
                                         to_string(open.eval.split)));
  const std::vector<Trajectory> predictions =
      open.framework->run(open.eval_questions, model, *open.retriever, open.corpus);
  check_one_per_question(predictions, open.eval_questions, open.cell);
  check_error_rate(predictions, open.run.max_error_rate, "evaluation");
  writer.write_predictions(score_predictions(open.eval_questions, predictions, metrics));
  writer.write_trajectories(predictions);
  writer.write_metrics(metrics);
  timer.done(fmt::format("{} on {} questions: EM {:.2f} F1 {:.2f} Acc {:.2f}", open.eval.model, metrics.questions,
                         metrics.em, metrics.f1, metrics.acc));
}

}  // namespace steper
