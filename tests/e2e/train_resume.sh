#!/usr/bin/env bash
# Training killed with SIGKILL resumes from its last checkpoint and ends with the same weights,
# training log and scores as an uninterrupted run; a loss that turns NaN fails the cell with
# the step and keeps the last good checkpoint.
source "$(dirname "$0")/lib/common.bash"

sets=(--set train.steps=240 --set train.checkpoint_every=10 --set train.accumulation=2
      --set 'train.mix="balanced"' --set train.schedule='"cosine"' --set train.warmup_steps=10)

mkdir whole && cp tiny.toml whole/
(cd whole && "$STEPER" run tiny.toml "${sets[@]}" > run.log 2>&1) || { cat whole/run.log; fail "uninterrupted run failed"; }

"$STEPER" run tiny.toml "${sets[@]}" > run1.log 2>&1 &
kill_at_checkpoint $! checkpoint '[2-9]0'
[ "$(count_results results/tiny)" -eq 0 ] || fail "the killed run should not have finished"

"$STEPER" run tiny.toml "${sets[@]}" > run2.log 2>&1 || { cat run2.log; fail "the resumed run failed"; }
grep -q "resuming training at step" run2.log || { cat run2.log; fail "the re-run did not resume from the checkpoint"; }
[ -z "$(find cache/checkpoint -name '*.partial')" ] || fail "the checkpoint folder should be gone once training completed"
whole_weights=$(find whole/cache/checkpoint -name char_lm.pt)
resumed_weights=$(find cache/checkpoint -name char_lm.pt)
cmp "$whole_weights" "$resumed_weights" || fail "resumed weights differ from the uninterrupted run's"
/usr/bin/python3 - whole/results/tiny results/tiny <<'PY'
import glob, sys, h5py, numpy as np
a, b = (h5py.File(glob.glob(d + "/*.h5")[0], "r") for d in sys.argv[1:])
log_a, log_b = a["train_log"][...], b["train_log"][...]
assert len(log_a) == len(log_b) == 240, (len(log_a), len(log_b))
for column in log_a.dtype.names:
    if column not in ("tokens_per_s", "seconds"):  # wall-clock figures
        assert np.array_equal(log_a[column], log_b[column], equal_nan=True), column
for metric in ("em", "f1", "acc"):
    assert a["metrics"].attrs[metric] == b["metrics"].attrs[metric], metric
print("train log and metrics identical")
PY

# An exploding learning rate: the cell fails naming the step and the checkpoint it keeps.
status=0
"$STEPER" run tiny.toml --set experiment.name='"nan"' --set train.lr=1e30 --set train.checkpoint_every=1 \
  > nan.log 2>&1 || status=$?
[ "$status" -eq 1 ] || { cat nan.log; fail "a NaN loss should fail the cell (exit 1), got $status"; }
grep -q "training loss is nan at step" nan.log || { cat nan.log; fail "the error should name the NaN and its step"; }
grep -q "The last good checkpoint (step" nan.log || { cat nan.log; fail "the error should name the kept checkpoint"; }
kept=$(find cache/checkpoint -path '*.partial/last/progress.json' | head -1)
[ -n "$kept" ] || fail "the last good checkpoint should be kept"
echo "train_resume: ok"
