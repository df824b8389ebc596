#include "pipeline.hpp"

#include <filesystem>

#include "cell_stages.hpp"
#include "pretrain_settings.hpp"
#include "steper/loss.hpp"
#include "steper/trainable.hpp"
#include "trajectory_io.hpp"
#include "trajectory_stats.hpp"
#include "trajectory_text.hpp"

namespace steper {
namespace fs = std::filesystem;
namespace {

// Creates the plugin named by table [table_name]'s `name` key.
template <class T>
std::unique_ptr<T> make_plugin(const Cell& cell, const std::string& table_name, const PluginRegistry& registry,
                               PluginContext& context) {
  Settings table = cell.settings(table_name);
  const auto name = table.require<std::string>("name");
  return registry.create<T>(name, table, context);
}

}  // namespace

void run_cell(const Cell& cell, const PluginRegistry& registry, const ArtifactCache& cache, RunLog& log,
              ResultWriter& writer, CellInfo& info, const CellProcess& process) {
  OpenCell open(cell, registry, cache, log);
  Metrics metrics;
  if (open.eval.model == "teacher") return evaluate_stage(open, *open.teacher, writer, metrics);
  const TeacherSamples taught = teacher_stage(open, writer, metrics);
  const std::unique_ptr<Model> student = train_stage(open, taught, writer, metrics, info, process);
  if (!student) return;  // a helper rank of data-parallel training: rank 0 evaluates
  evaluate_stage(open, *student, writer, metrics);
}

void build_index(const Cell& cell, const PluginRegistry& registry, const ArtifactCache& cache, RunLog& log) {
  const OpenCell opened(cell, registry, cache, log);  // opening a cell builds its index
}

void validate_cell(const Cell& cell, const PluginRegistry& registry, RunLog& log, std::set<std::string>& validated) {
  const RunSettings run = RunSettings::read(cell.settings("run"));
  const EvalSettings eval = EvalSettings::read(cell.settings("eval"));
  TrainSettings::read(cell.settings("train"));
  HostContext context(log, cell.seed(), run.device, (fs::temp_directory_path() / "steper-validate").string());
  const auto check = [&](const std::string& table, auto make) {
    if (!validated.insert(table + "\n" + table_text(cell, table)).second) return;
    make(cell, table, registry, context);
  };
  check("dataset", make_plugin<Dataset>);
  check("retriever", make_plugin<Retriever>);
  check("framework", make_plugin<Framework>);
  check("teacher", make_plugin<Model>);
  // The student and loss are checked whenever they are configured, even if this cell
  // evaluates the teacher, so that a typo never passes silently.
  if (eval.model == "student" || cell.settings("student").has("name"))
    check("student", [](const Cell& c, const std::string& table, const PluginRegistry& r, PluginContext& ctx) {
      if (!make_plugin<Model>(c, table, r, ctx)->trainable())
        c.settings(table).fail("name", "a trainable model (this one only generates)");
    });
  if (eval.model == "student" || cell.settings("loss").has("name")) check("loss", make_plugin<Loss>);
  if (PretrainSettings::read(cell.settings("pretrain")).enabled())
    for (const char* table : {"pretrain.world", "pretrain.teacher"})
      check(table, [](const Cell& c, const std::string& name, const PluginRegistry& r, PluginContext& ctx) {
        Settings plugin = c.settings(name);
        const auto plugin_name = plugin.require<std::string>("name");
        if (name == "pretrain.world") r.create<Dataset>(plugin_name, plugin, ctx);
        else r.create<Model>(plugin_name, plugin, ctx);
      });
}

void inspect_question(const Cell& cell, const PluginRegistry& registry, const ArtifactCache& cache, RunLog& log,
                      const std::string& question_id, std::ostream& out) {
  OpenCell open(cell, registry, cache, log);
  const fs::path teacher_dir = fs::path(cache.root()) / "teacher" / open.teacher_key();
  if (!fs::is_directory(teacher_dir))
    throw std::runtime_error("the teacher stage of cell " + cell.id() + " has not run yet (no '" +
                             teacher_dir.string() + "'): run `steper run` on it first");
  const std::vector<Question> questions = open.dataset->questions(Split::train);
  const std::vector<Trajectory> trajectories = read_trajectories((teacher_dir / "trajectories.json").string());
  std::size_t i = 0;
  while (i < questions.size() && questions[i].id != question_id) ++i;
  if (i == questions.size() || i >= trajectories.size())
    throw std::runtime_error("no training question with id '" + question_id + "' in cell " + cell.id());
  const Question& q = questions[i];
  const Trajectory& t = trajectories[i];
  out << "question " << q.id << " (" << q.type << ", " << q.hops << " hops): " << q.text << "\n";
  out << "gold: " << (q.answers.empty() ? "" : q.answers.front()) << "\n";
  for (std::size_t h = 0; h < q.decomposition.size(); ++h)
    out << "  hop " << h + 1 << ": " << q.decomposition[h].question << " -> " << q.decomposition[h].answer << " ["
        << q.decomposition[h].paragraph_id << "]\n";
  out << "\n";
  print_trajectory("teacher trajectory", t, out);
  const TrainSettings& train = open.train;
  const auto outcome = filter_trajectory(t, q, train.filter, train.bridge_filter, open.corpus);
  out << "\nfilter (" << train.filter << (train.bridge_filter ? " + bridge" : "") << "): "
      << (outcome == FilterOutcome::kept ? "kept" : std::string("dropped: ") + to_string(outcome)) << "\n";
  for (const auto& sample : open.framework->step_samples(q, t, open.corpus)) {
    out << "\n=== " << to_string(sample.kind) << " sample (step " << sample.step << ") ===\n--- prompt ---\n"
        << sample.prompt << "\n--- target ---\n" << sample.target << "\n";
  }
}

}  // namespace steper
