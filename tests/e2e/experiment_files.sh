#!/usr/bin/env bash
# Every experiment file in experiments/ parses, passes every plugin's check of its settings and
# lists the cells it is meant to have (a dry run: nothing trains), and the files that share
# paper_base.toml share their cells where the configuration is the same, so that a checkpoint
# trained for one comes from the stage cache for the others (scaling.toml's students pretrain
# their own readers, so none of its cells is table1's).
source "$(dirname "$0")/lib/common.bash"

expect_cells() {
  "$STEPER" run "$STEPER_SOURCE_DIR/experiments/$1" --dry-run > "$1.dry" 2>&1 || { cat "$1.dry"; fail "$1 does not parse"; }
  grep -q ": $2 cells (" "$1.dry" || { cat "$1.dry"; fail "$1: expected $2 cells"; }
  echo "ok: $1 has $2 cells"
}
expect_cells quickstart.toml 3  # 2 losses + the teacher
expect_cells paper_base.toml 1
expect_cells table1.toml 9   # 2 losses x 3 seeds + the teacher per seed
expect_cells weights.toml 8  # uniform and StepER x 3 seeds + 2 skewed weightings
expect_cells scaling.toml 10  # 5 widths x 2 losses
expect_cells selfask.toml 3  # 2 losses + the teacher
expect_cells selfask_evidence.toml 3  # the same with max_passages = 10
expect_cells reader.toml 1   # the pretrained reader, evaluated undistilled
expect_cells budget.toml 18  # 3 losses x 3 seeds at 2400 steps and at 2 epochs

id_of() {  # the id of the trained cell of dry-run listing $1 whose line has every text in $2...
  local file=$1 line; shift
  line=$(grep -E '^[0-9a-f]{8,} ' "$file" | grep -v 'eval.model="teacher"' || true)
  for text in "$@"; do line=$(grep -F -- "$text" <<<"$line" || true); done
  [ "$(wc -l <<<"$line")" -eq 1 ] && [ -n "$line" ] || fail "$file: no single cell with $*"
  echo "${line%% *}"
}
steper_seed1=$(id_of table1.toml.dry 'loss.name="steper"' 'seed=1')
grep -q 'eval.model="teacher"' table1.toml.dry || fail "table1 lists no teacher cell"
[ "$(id_of weights.toml.dry 'loss.name="steper"' 'seed=1')" = "$steper_seed1" ] || fail "weights' StepER cell is not table1's"
echo "experiment_files: ok"
