#!/usr/bin/env bash
# A grid killed with SIGKILL in the middle: the finished cells are not recomputed, no result
# file is corrupt, and the re-run completes the grid. Also --dry-run, --shard and --jobs.
source "$(dirname "$0")/lib/common.bash"

"$STEPER" run grid.toml --dry-run > cells.txt
cat cells.txt
[ "$(grep -c missing cells.txt)" -eq 4 ] || fail "dry run should list 4 missing cells"
expect_failure "a dry run with a typo in a plugin's table" "unknown key 'dataset.entitiez'" \
  "$STEPER" run grid.toml --dry-run --set dataset.entitiez=3
expect_failure "a dry run with a typo in [train]" "unknown key 'train.stepz'" "$STEPER" run grid.toml --dry-run --set train.stepz=3

# Kill the run once the first cell's file is in place but before the last one.
"$STEPER" run grid.toml > run1.log 2>&1 &
pid=$!
for _ in $(seq 600); do
  n=$(count_results results/grid)
  [ "$n" -ge 1 ] && break
  sleep 0.1
done
kill -9 "$pid"; wait "$pid" 2>/dev/null || true
done_before=$(count_results results/grid)
[ "$done_before" -ge 1 ] && [ "$done_before" -lt 4 ] || fail "expected the kill between cells 1 and 4, found $done_before files"
check_result_files results/grid
stat -c '%n %Y %i' results/grid/*.h5 > before.txt

"$STEPER" run grid.toml > run2.log 2>&1 || { cat run2.log; fail "re-run failed"; }
grep -q "$done_before already complete" run2.log || { cat run2.log; fail "re-run should skip $done_before complete cells"; }
grep -q "stage index: .*(cached)" run2.log || fail "the re-run should reuse the cached index"
while read -r name mtime inode; do
  [ "$(stat -c '%Y %i' "$name")" = "$mtime $inode" ] || fail "$name was recomputed"
done < before.txt
[ "$(count_results results/grid)" -eq 4 ] || fail "grid incomplete after the re-run"
[ -z "$(find results/grid -name '*.tmp')" ] || fail "temporary files left behind"
check_result_files results/grid
"$STEPER" run grid.toml --dry-run | grep -c complete | grep -qx 4 || fail "dry run should show 4 complete cells"

"$STEPER" report results/grid --rows loss.weights > table.md
cat table.md
grep -Eq '\| +n +\|' table.md || fail "report lacks the n column"

# The h5py-based analysis script reads the same files, in grid order.
/usr/bin/python3 "$STEPER_SOURCE_DIR/analysis/cells.py" results/grid > cells.csv
cat cells.csv
[ "$(grep -c ',complete,' cells.csv)" -eq 4 ] || fail "analysis/cells.py should list 4 complete cells"
cut -d, -f3 cells.csv | tail -n +2 | tr '\n' ' ' | grep -qx "0 1 2 3 " || fail "analysis/cells.py should keep grid order"

# Shards partition the grid; --jobs runs cells as processes; --force recomputes.
"$STEPER" run grid.toml --set experiment.name='"sharded"' --shard 0/2 --jobs 2 > shard.log 2>&1 || { cat shard.log; fail "shard 0/2 failed"; }
[ "$(count_results results/sharded)" -eq 2 ] || fail "shard 0/2 should write 2 of 4 cells"
"$STEPER" run grid.toml --set experiment.name='"sharded"' --shard 1/2 > shard.log 2>&1 || fail "shard 1/2 failed"
[ "$(count_results results/sharded)" -eq 4 ] || fail "two shards should cover the grid"
first=$(ls results/sharded/*.h5 | head -1); id=$(basename "$first" .h5)
"$STEPER" run grid.toml --set experiment.name='"sharded"' --cell "${id:0:6}" --force > force.log 2>&1 || fail "--force failed"
grep -q "1 to run" force.log || { cat force.log; fail "--cell with --force should run one cell"; }
echo "grid_resume: ok"
