#!/usr/bin/env bash
# Two runs of one grid at once share the work without corrupting any file; a --jobs run
# killed with SIGKILL takes its cell processes with it, and the re-run completes the grid.
source "$(dirname "$0")/lib/common.bash"

"$STEPER" run grid.toml > a.log 2>&1 & a=$!
"$STEPER" run grid.toml > b.log 2>&1 & b=$!
wait "$a" || { cat a.log; fail "first concurrent run failed"; }
wait "$b" || { cat b.log; fail "second concurrent run failed"; }
[ "$(count_results results/grid)" -eq 4 ] || fail "concurrent runs should complete the 4 cells"
check_result_files results/grid
started=$(cat a.log b.log | grep -c "started (")
[ "$started" -eq 4 ] || { cat a.log b.log; fail "each cell should be computed once by the two runs, saw $started starts"; }

"$STEPER" run grid.toml --set experiment.name=jobs --jobs 2 > jobs.log 2>&1 & parent=$!
for _ in $(seq 600); do
  [ "$(grep -c "started as process" jobs.log)" -ge 2 ] && break
  sleep 0.1
done
children=$(grep -o "started as process [0-9]*" jobs.log | awk '{print $4}')
kill -9 "$parent"; wait "$parent" 2>/dev/null || true
# A child still starting up (loading LibTorch) notices at its first step; give it time.
alive() { kill -0 "$1" 2>/dev/null && grep -q steper "/proc/$1/cmdline" 2>/dev/null; }
for pid in $children; do
  for _ in $(seq 150); do alive "$pid" || break; sleep 0.1; done
  if alive "$pid"; then fail "cell process $pid outlived its killed parent by 15 s"; fi
done
"$STEPER" run grid.toml --set experiment.name=jobs --jobs 2 > jobs2.log 2>&1 || { cat jobs2.log; fail "re-run after the kill failed"; }
[ "$(count_results results/jobs)" -eq 4 ] || fail "the --jobs re-run should complete the grid"
[ -z "$(find results/jobs -name '*.tmp')" ] || fail "temporary files left behind"
check_result_files results/jobs
echo "concurrency: ok"
