// `steper submit --slurm`: the sbatch script for given options, the cell id list, the quoting
// of --set values (checked by running the script under bash), and bad option values.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "grid_status.hpp"
#include "slurm_submit.hpp"

namespace steper {
namespace {
namespace fs = std::filesystem;

SlurmJob example_job(const std::string& steper = "/opt/steper/bin/steper") {
  SlurmJob job;
  job.steper = steper;
  job.experiment_file = "/home/me/exp/grid.toml";
  job.work_dir = fs::temp_directory_path().string();
  job.job_name = "steper-grid";
  job.log_dir = "/home/me/results/grid/slurm";
  job.cell_ids = {"0123456789abcdef", "fedcba9876543210", "00000000deadbeef"};
  return job;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Runs `command` under /bin/sh and returns its standard output.
std::string output_of(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) throw std::runtime_error("popen failed: " + command);
  char buffer[4096];
  while (const std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  ::pclose(pipe);
  return out;
}

TEST(SlurmScript, HasTheArrayAndEveryOptionGiven) {
  SlurmOptions options;
  options.partition = "debug";
  options.time = "1-02:00:00";
  options.cpus = "4";
  options.gpus = "a100:2";
  options.mem = "16G";
  options.max_parallel = "2";
  options.sbatch_lines = {"--account=lab", "#SBATCH   --qos=low  "};
  check_slurm_options(options);
  const std::string script = sbatch_script(example_job(), options);
  EXPECT_EQ(script.rfind("#!/bin/bash\n", 0), 0u);
  for (const char* line : {"#SBATCH --job-name=steper-grid\n", "#SBATCH --array=0-2%2\n",
                           "#SBATCH --output=/home/me/results/grid/slurm/%x-%A_%a.out\n", "#SBATCH --requeue\n", "#SBATCH --open-mode=append\n",
                           "#SBATCH --signal=B:USR1@120\n", "#SBATCH --partition=debug\n",
                           "#SBATCH --time=1-02:00:00\n", "#SBATCH --cpus-per-task=4\n", "#SBATCH --gpus=a100:2\n",
                           "#SBATCH --mem=16G\n", "#SBATCH --account=lab\n", "#SBATCH --qos=low\n",
                           "scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"\n",
                           "'/opt/steper/bin/steper' run '/home/me/exp/grid.toml' --cell \"$cell\" &\n"})
    EXPECT_TRUE(contains(script, line)) << "missing: " << line << "in:\n" << script;
  // sbatch reads #SBATCH lines only before the first command.
  EXPECT_LT(script.rfind("#SBATCH"), script.find("\nset "));
}

TEST(SlurmScript, LeavesOutOptionsNotGiven) {
  const std::string script = sbatch_script(example_job(), SlurmOptions{});
  EXPECT_TRUE(contains(script, "#SBATCH --array=0-2\n"));
  for (const char* option : {"--partition", "--time", "--cpus-per-task", "--gpus", "--mem"})
    EXPECT_FALSE(contains(script, option)) << option;
}

TEST(SlurmScript, ListsTheCellIdsInOrder) {
  const std::string script = sbatch_script(example_job(), SlurmOptions{});
  EXPECT_TRUE(contains(script, "cells=(\n  0123456789abcdef\n  fedcba9876543210\n  00000000deadbeef\n)\n")) << script;
}

// The script run under bash with a stand-in for steper that prints its arguments: task 1 runs
// the second cell, and every --set value arrives as one argument, byte for byte.
TEST(SlurmScript, MapsTheTaskToItsCellAndPassesSetValuesIntact) {
  const fs::path folder = fs::temp_directory_path() / "steper_slurm_script_test";
  fs::create_directories(folder);
  const fs::path stand_in = folder / "print_args";
  std::ofstream(stand_in) << "#!/bin/bash\nfor a; do echo \"[$a]\"; done\n";
  fs::permissions(stand_in, fs::perms::owner_all);
  SlurmOptions options;
  options.overrides = {"train.lr=3e-4", "experiment.name=\"it's $HOME `x` \\ two  spaces\"", "grid.seed=[1, 2]"};
  check_slurm_options(options);
  std::ofstream(folder / "task.sh") << sbatch_script(example_job(stand_in.string()), options);
  const std::string out = output_of("SLURM_ARRAY_JOB_ID=7 SLURM_ARRAY_TASK_ID=1 bash " + (folder / "task.sh").string());
  EXPECT_EQ(out,
            "[run]\n[/home/me/exp/grid.toml]\n[--cell]\n[fedcba9876543210]\n[--set]\n[train.lr=3e-4]\n[--set]\n"
            "[experiment.name=\"it's $HOME `x` \\ two  spaces\"]\n[--set]\n[grid.seed=[1, 2]]\n");
  fs::remove_all(folder);
}

TEST(SlurmScript, ATaskWithoutACellFails) {
  const fs::path script_path = fs::temp_directory_path() / "steper_slurm_script_range.sh";
  std::ofstream(script_path) << sbatch_script(example_job("/bin/true"), SlurmOptions{});
  const std::string out = output_of("SLURM_ARRAY_TASK_ID=3 bash " + script_path.string() + " 2>&1; echo \"exit $?\"");
  EXPECT_TRUE(contains(out, "no cell for array task 3")) << out;
  EXPECT_TRUE(contains(out, "exit 1")) << out;
  fs::remove(script_path);
}

TEST(SlurmScript, ShellQuoteKeepsEveryCharacter) {
  EXPECT_EQ(shell_quote("plain"), "'plain'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(output_of("printf '%s' " + shell_quote("a'b \"c\" $d `e` \\f")), "a'b \"c\" $d `e` \\f");
}

TEST(SlurmOptions, AcceptsSlurmTimeFormats) {
  for (const char* time : {"5", "90", "5:00", "1:00:00", "2-0", "1-12:30", "0-0:10:00"}) {
    SlurmOptions options;
    options.time = time;
    EXPECT_NO_THROW(check_slurm_options(options)) << time;
  }
}

// Each bad value is refused with a message naming the option, the value and what is expected.
TEST(SlurmOptions, RejectsBadValuesNamingTheOption) {
  struct Case {
    void (*set)(SlurmOptions&);
    const char* message;
  } cases[] = {
      {[](SlurmOptions& o) { o.time = "soon"; }, "--time 'soon': expected a Slurm time"},
      {[](SlurmOptions& o) { o.time = "1:2:3:4"; }, "--time '1:2:3:4': expected a Slurm time"},
      {[](SlurmOptions& o) { o.time = "2"; }, "--time '2': expected at least 5 minutes"},
      {[](SlurmOptions& o) { o.cpus = "0"; }, "--cpus '0': expected a positive whole number"},
      {[](SlurmOptions& o) { o.cpus = "-2"; }, "--cpus '-2': expected a positive whole number"},
      {[](SlurmOptions& o) { o.cpus = "4x"; }, "--cpus '4x': expected a positive whole number"},
      {[](SlurmOptions& o) { o.max_parallel = "0"; }, "--max-parallel '0': expected a positive whole number"},
      {[](SlurmOptions& o) { o.gpus = "0"; }, "--gpus '0': expected a GPU count"},
      {[](SlurmOptions& o) { o.gpus = "a100:"; }, "--gpus 'a100:': expected a GPU count"},
      {[](SlurmOptions& o) { o.mem = "16GB"; }, "--mem '16GB': expected memory per task"},
      {[](SlurmOptions& o) { o.partition = "debug;rm"; }, "--partition 'debug;rm': expected a partition name"},
      {[](SlurmOptions& o) { o.sbatch_lines = {"account=lab"}; }, "--sbatch-line 'account=lab': expected an sbatch option"},
      {[](SlurmOptions& o) { o.sbatch_lines = {"--qos=low\nrm -rf /"}; }, "expected one line without control characters"},
      {[](SlurmOptions& o) { o.sbatch_lines = {"--array=0-9"}; }, "expected an option other than --array and --output"},
      {[](SlurmOptions& o) { o.output_dir = "my logs"; }, "--output-dir 'my logs': expected a folder without spaces"},
      {[](SlurmOptions& o) { o.overrides = {"a=1\nb=2"}; }, "--set 'a=1\nb=2': expected a single line"},
  };
  for (const auto& c : cases) {
    SlurmOptions options;
    c.set(options);
    try {
      check_slurm_options(options);
      ADD_FAILURE() << "accepted; expected: " << c.message;
    } catch (const std::invalid_argument& e) {
      EXPECT_TRUE(contains(e.what(), c.message)) << "got: " << e.what() << "\nexpected: " << c.message;
    }
  }
}

TEST(GridStatus, TableHasOneRowPerCellAndASummary) {
  GridStatus status;
  status.experiment = "grid";
  status.results = "results/grid";
  status.cells = {
      {"0123456789abcdef", {{"loss.weights", "[1.0, 1.0, 1.0]"}, {"seed", "1"}}, GridCellState::done, "", false},
      {"fedcba9876543210", {{"loss.weights", "[0.5, 1.0, 1.5]"}, {"seed", "1"}}, GridCellState::failed,
       "toy_world: failing as configured", true},
      {"00000000deadbeef", {{"loss.weights", "[1.0, 1.0, 1.0]"}, {"seed", "2"}}, GridCellState::missing, "", true},
  };
  const std::string table = render_grid_status(status);
  EXPECT_EQ(table,
            "id                state    loss.weights     seed  error\n"
            "0123456789abcdef  done     [1.0, 1.0, 1.0]  1\n"
            "fedcba9876543210  failed   [0.5, 1.0, 1.5]  1     toy_world: failing as configured\n"
            "00000000deadbeef  missing  [1.0, 1.0, 1.0]  2\n"
            "3 cells: 1 done, 1 failed, 0 running, 1 missing; results in results/grid\n");
}

// An error read from a result file may hold terminal control sequences (a model's output, a
// crafted file): they are shown escaped, never sent to the terminal.
TEST(GridStatus, EscapesControlCharactersFromFiles) {
  GridStatus status;
  status.experiment = "grid";
  status.results = "results/grid";
  status.cells = {{"0123456789abcdef", {{"dataset.name", "toy\x1b]0;title\x07"}}, GridCellState::failed,
                   "teacher said \x1b[2J\rgone", true}};
  const std::string table = render_grid_status(status);
  EXPECT_EQ(table.find('\x1b'), std::string::npos) << table;
  EXPECT_NE(table.find("toy\\x1b]0;title\\x07"), std::string::npos) << table;
  EXPECT_NE(table.find("teacher said \\x1b[2J\\x0dgone"), std::string::npos) << table;
}

}  // namespace
}  // namespace steper
