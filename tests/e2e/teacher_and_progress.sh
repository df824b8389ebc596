#!/usr/bin/env bash
# Evaluating the teacher instead of a student skips training; on a terminal, long stages
# draw a progress bar with rate and ETA, and elsewhere they log plain lines.
source "$(dirname "$0")/lib/common.bash"

"$STEPER" run tiny.toml --set eval.model=teacher --set experiment.name=teacher > teacher.log 2>&1 \
  || { cat teacher.log; fail "teacher evaluation failed"; }
! grep -q "stage train" teacher.log || fail "evaluating the teacher should not train"
/usr/bin/python3 - <<'PY'
import glob, h5py
[path] = glob.glob("results/teacher/*.h5")
with h5py.File(path, "r") as f:
    assert f.attrs["status"] == "complete", f.attrs["error"]
    assert f["train_log"].shape[0] == 0, "no training rows expected"
    assert f["metrics"].attrs["questions"] == 10
    print("teacher Acc", f["metrics"].attrs["acc"])
PY
# The student's table is still checked, so a typo there never passes silently.
expect_failure "typo in an unused student table" "unknown key 'student.hiden'" \
  "$STEPER" run tiny.toml --set eval.model=teacher --set student.hiden=3

# Not a terminal: a closing line per stage with its rate.
"$STEPER" run tiny.toml --set experiment.name=plain > plain.log 2>&1 || fail "plain run failed"
grep -Eq "train: 20 done in [0-9:]+ \([0-9.]+/s\)" plain.log || { cat plain.log; fail "no closing progress line"; }
! grep -q $'\r' plain.log || fail "no carriage returns when stderr is not a terminal"

# A terminal (script(1) gives the run a pseudo-terminal): a bar with rate and ETA.
script -qec "$STEPER run tiny.toml --set experiment.name=terminal --set train.steps=100" /dev/null > tty.log 2>&1 \
  || { cat tty.log; fail "run under a terminal failed"; }
tr '\r' '\n' < tty.log | grep -aEq '^.\[Ktrain \[#*\.*\] [0-9]+/100 [0-9.]+/s ETA [0-9]+:[0-9]{2}$' \
  || { cat -v tty.log | tail -5; fail "no progress bar on a terminal"; }
echo "teacher_and_progress: ok"
