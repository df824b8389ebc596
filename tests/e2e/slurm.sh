#!/usr/bin/env bash
# `steper submit --slurm` against a real one-node Slurm started here (munged, slurmctld, slurmd,
# stopped by process id): a grid runs as a job array, one cell per task, and `steper status` and
# `steper report` read the result; a cancelled task leaves its cell missing and re-submitting
# runs just that cell. Needs root to start the daemons (CI runs as root).
source "$(dirname "$0")/lib/common.bash"
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: slurm.sh starts munged, slurmctld and slurmd, which needs root (running as uid $(id -u))"
  exit 0
fi
for tool in mungekey munged slurmctld slurmd sbatch squeue scancel sinfo; do
  command -v "$tool" >/dev/null || fail "'$tool' not found: scripts/setup.sh installs slurmctld slurmd slurm-client munge"
done
source "$(dirname "$0")/lib/slurm_cluster.bash"

# On failure: the daemons' logs and every task's output, then stop the daemons either way.
dump_task_logs() {
  local f
  for f in results/*/slurm/*.out; do [ -f "$f" ] && { echo "----- $f" >&2; cat "$f" >&2; }; done
}
holder=
trap 'status=$?; if [ "$status" -ne 0 ]; then slurm_cluster_dump_logs; dump_task_logs; fi
      [ -z "$holder" ] || kill "$holder" 2>/dev/null || true; slurm_cluster_stop; rm -rf "$WORK"' EXIT
slurm_cluster_start "$WORK/cluster"

cell_ids_of() { sed -n '/^cells=(/,/^)/p' "$1" | grep -Eo '[0-9a-f]{16}'; }

# --print shows the script and submits nothing.
"$STEPER" submit grid.toml --slurm --print --partition debug --cpus 1 > printed.sh || fail "submit --print failed"
grep -qx '#SBATCH --array=0-3' printed.sh || { cat printed.sh; fail "--print should show an array of 4 tasks"; }
[ "$(cell_ids_of printed.sh | wc -l)" -eq 4 ] || fail "--print should list 4 cell ids"
[ -z "$(squeue -h -o %i)" ] || fail "--print submitted a job"

# Case 1: the grid as a job array, two tasks at a time sharing the stage cache.
job=$("$STEPER" submit grid.toml --slurm --partition debug --cpus 1 --max-parallel 2 2> submit.log) \
  || { cat submit.log; fail "submit failed"; }
[[ "$job" =~ ^[0-9]+$ ]] || { cat submit.log; fail "submit should print a job id, printed '$job'"; }
echo "submitted job array $job"
slurm_wait_job "$job" 300
[ "$(count_results results/grid)" -eq 4 ] || { "$STEPER" status grid.toml; fail "the array should write the 4 result files"; }
check_result_files results/grid
for task in 0 1 2 3; do
  log=results/grid/slurm/steper-grid-${job}_${task}.out
  [ -f "$log" ] || fail "no Slurm log $log"
  grep -q "1 cells selected, 0 already complete, 1 to run" "$log" || { cat "$log"; fail "task $task should run one cell"; }
done
# The tasks shared one index: built once, under the cache's lock, and found by the others.
built=$(cat results/grid/slurm/*.out | grep -c "stage index: .*(built)" || true)
[ "$built" -eq 1 ] || fail "the index should be built by exactly one task, was built $built times"
"$STEPER" status grid.toml > status.txt || fail "status failed"
cat status.txt
grep -q "^4 cells: 4 done, 0 failed, 0 running, 0 missing" status.txt || fail "status should show 4 done cells"
"$STEPER" report results/grid --rows loss.weights > table.md || fail "report failed"
cat table.md
grep -Eq '\| +n +\|' table.md || fail "report lacks the n column"
"$STEPER" submit grid.toml --slurm > again.txt 2> again.log || { cat again.log; fail "a submit with nothing to do should exit 0"; }
[ ! -s again.txt ] && grep -q "nothing to submit" again.log || { cat again.txt again.log; fail "should say there is nothing to submit"; }

# Case 2: one task at a time; the last one is cancelled while it waits. Its cell stays missing,
# and re-submitting runs that cell alone.
sets=(--set 'experiment.name="cancel"')
job=$("$STEPER" submit grid.toml --slurm "${sets[@]}" --max-parallel 1 2> submit2.log) || { cat submit2.log; fail "submit failed"; }
scancel "${job}_3" || fail "scancel ${job}_3 failed"
slurm_wait_job "$job" 300
[ ! -f "results/cancel/slurm/steper-cancel-${job}_3.out" ] || fail "the cancelled task ran"
cancelled=$(cell_ids_of "$(ls results/cancel/slurm/*.sbatch)" | sed -n 4p)
"$STEPER" status grid.toml "${sets[@]}" > status2.txt || fail "status failed"
cat status2.txt
grep -q "^4 cells: 3 done, 0 failed, 0 running, 1 missing" status2.txt || fail "status should show 3 done and 1 missing"
grep -Eq "^$cancelled +missing" status2.txt || fail "status should show the cancelled cell $cancelled missing"
job=$("$STEPER" submit grid.toml --slurm "${sets[@]}" 2> submit3.log) || { cat submit3.log; fail "re-submit failed"; }
grep -q "1 cells (tasks 0-0)" submit3.log || { cat submit3.log; fail "re-submitting should submit the one missing cell"; }
slurm_wait_job "$job" 300
"$STEPER" status grid.toml "${sets[@]}" > status3.txt || fail "status failed"
grep -q "^4 cells: 4 done" status3.txt || { cat status3.txt; fail "the re-submission should finish the grid"; }
check_result_files results/cancel

# Case 3: a task that Slurm warns of its time limit (USR1, as --signal=B:USR1@120 sends it)
# requeues itself, and its new run completes the cell. The test holds the cell's lock so that
# the first run waits inside `steper run` until the warning comes.
sets=(--set 'experiment.name="requeue"')
cell=$("$STEPER" status tiny.toml "${sets[@]}" | grep -Eo '^[0-9a-f]{16}')
# Submitted held: submit leaves out a cell whose lock is held, as one already running.
job=$("$STEPER" submit tiny.toml --slurm "${sets[@]}" --sbatch-line=--hold 2> submit4.log) \
  || { cat submit4.log; fail "submit failed"; }
mkdir -p results/requeue/.locks
/usr/bin/python3 -c 'import fcntl, sys, time
f = open(sys.argv[1], "a"); fcntl.flock(f, fcntl.LOCK_EX); open(sys.argv[2], "w").close(); time.sleep(600)' \
  "results/requeue/.locks/$cell.lock" locked & holder=$!
for _ in $(seq 100); do [ -f locked ] && break; sleep 0.1; done
[ -f locked ] || fail "could not take the lock of cell $cell"
scontrol release "$job" || fail "scontrol release $job failed"
log=results/requeue/slurm/steper-requeue-${job}_0.out
for _ in $(seq 600); do grep -qs "1 to run" "$log" && break; sleep 0.5; done
grep -qs "1 to run" "$log" || fail "task ${job}_0 did not reach its cell within 300 s"
scancel --batch --signal=USR1 "${job}_0" || fail "scancel --signal=USR1 failed"
for _ in $(seq 120); do [ "$(squeue -h -j "${job}_0" -o %T)" = PENDING ] && break; sleep 0.5; done
[ "$(squeue -h -j "${job}_0" -o %T)" = PENDING ] || fail "the warned task should be requeued (pending)"
kill "$holder"; wait "$holder" 2>/dev/null || true
# Slurm delays a requeued batch task until its old credential expires; bring that forward, but
# not into the second of the requeue: slurmd refuses a credential issued in that second
# ("Job credential revoked") and the task would fail instead of running again.
scontrol update JobId="${job}_0" StartTime=now+3 || fail "cannot make the requeued task eligible soon"
slurm_wait_job "$job" 300
grep -q "time limit near: requeueing ${job}_0" "$log" || { cat "$log"; fail "the task should say it requeues itself"; }
[ "$(grep -c "1 to run" "$log")" -eq 2 ] || { cat "$log"; fail "the log should show the first and the requeued run"; }
"$STEPER" status tiny.toml "${sets[@]}" | grep -q "^1 cells: 1 done" || fail "the requeued task should complete the cell"
echo "slurm: ok"
