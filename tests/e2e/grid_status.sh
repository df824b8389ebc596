#!/usr/bin/env bash
# `steper status` (done, failed with its error, running, missing) and the parts of `steper
# submit --slurm` that need no cluster: the cells it picks, a stand-in sbatch that succeeds or
# fails, sbatch missing, bad option values. The real Slurm test is slurm.sh.
source "$(dirname "$0")/lib/common.bash"
cat > failing.toml <<'TOML'
base = "tiny.toml"
[experiment]
name = "failing"
[grid]
"dataset.fail" = [false, true]
TOML

"$STEPER" status failing.toml > status0.txt || fail "status of a grid never run should exit 0"
cat status0.txt
grep -q "^2 cells: 0 done, 0 failed, 0 running, 2 missing" status0.txt || fail "a grid never run has 2 missing cells"
grep -q "^id  *state  *dataset.fail  *error$" status0.txt || fail "the table should have a column per grid key"

"$STEPER" run failing.toml > run.log 2>&1 && fail "the failing cell should fail the run"
"$STEPER" status failing.toml > status1.txt || fail "status should exit 0 with a failed cell"
cat status1.txt
grep -q "^2 cells: 1 done, 1 failed, 0 running, 0 missing" status1.txt || fail "status should show 1 done, 1 failed"
grep -Eq "^[0-9a-f]{16}  failed +true +toy_world: failing as configured" status1.txt || fail "status should show the recorded error"
failed_id=$(grep -Eo "^[0-9a-f]{16}  failed" status1.txt | cut -c1-16)
done_id=$(grep -Eo "^[0-9a-f]{16}  done" status1.txt | cut -c1-16)

# A cell whose lock a process holds is running; a partial file without one was interrupted.
/usr/bin/python3 -c 'import fcntl, sys, time
f = open(sys.argv[1], "a"); fcntl.flock(f, fcntl.LOCK_EX); time.sleep(60)' "results/failing/.locks/$done_id.lock" & holder=$!
trap 'kill "$holder" 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do "$STEPER" status failing.toml | grep -q "^$done_id  running" && break; sleep 0.1; done
"$STEPER" status failing.toml | grep -q "^$done_id  running" || fail "a cell whose lock is held should be running"
kill "$holder"; wait "$holder" 2>/dev/null || true
rm "results/failing/$failed_id.h5"; touch "results/failing/$failed_id.h5.999.tmp"
"$STEPER" status failing.toml | grep -Eq "^$failed_id  missing +true +interrupted" || fail "a partial file should show as interrupted"

# submit picks the cells that need a run: here the one failed (now missing) cell. ([experiment]
# is not part of a cell's id, so this --set keeps the ids.)
"$STEPER" submit failing.toml --slurm --print --set 'experiment.description="a b"' > printed.sh || fail "submit --print failed"
grep -qx '#SBATCH --array=0-0' printed.sh || { cat printed.sh; fail "one cell needs a run"; }
grep -qx "  $failed_id" printed.sh || fail "the script should list cell $failed_id"
grep -qF -- "--cell \"\$cell\" --set 'experiment.description=\"a b\"' &" printed.sh || fail "the script should pass --set on, quoted"
grep -qF -- "$(realpath "$STEPER")' run '$PWD/failing.toml'" printed.sh || fail "the script should use absolute paths"

# A stand-in sbatch: success prints the job id; failure is reported with sbatch's message.
mkdir bin
printf '#!/bin/sh\necho "42;cluster"\n' > bin/sbatch
chmod +x bin/sbatch
job=$(PATH="$PWD/bin:$PATH" "$STEPER" submit failing.toml --slurm 2> submit.log) || { cat submit.log; fail "submit failed"; }
[ "$job" = 42 ] || fail "submit should print the job id 42, printed '$job'"
ls results/failing/slurm/steper-failing-*.sbatch > /dev/null || fail "the script should be kept in the log folder"
printf '#!/bin/sh\necho "sbatch: error: Batch job submission failed: Invalid partition name specified" >&2\nexit 1\n' > bin/sbatch
expect_failure "sbatch fails" "Invalid partition name specified" env PATH="$PWD/bin:$PATH" "$STEPER" submit failing.toml --slurm
grep -qF "'sbatch --parsable" err.txt || fail "the error should name the sbatch command"
mkdir empty
expect_failure "sbatch missing" "cannot execute sbatch (is Slurm's client on PATH?" env PATH="$PWD/empty" "$STEPER" submit failing.toml --slurm

expect_failure "bad --time" "--time 'soon': expected a Slurm time" "$STEPER" submit failing.toml --slurm --time soon
expect_failure "bad --mem" "--mem '16GB'" "$STEPER" submit failing.toml --slurm --mem 16GB
expect_failure "no --slurm" "--slurm is required" "$STEPER" submit failing.toml

# Nothing to submit: said so, exit 0.
"$STEPER" run tiny.toml > tiny.log 2>&1 || { cat tiny.log; fail "tiny.toml should run"; }
"$STEPER" submit tiny.toml --slurm > nothing.txt 2> nothing.log || { cat nothing.log; fail "nothing to submit should exit 0"; }
[ ! -s nothing.txt ] || fail "nothing to submit should print no job id"
grep -q "nothing to submit" nothing.log || { cat nothing.log; fail "submit should say there is nothing to submit"; }
echo "grid_status: ok"
