#!/usr/bin/env bash
# [train] world_size = 2: rank 0 starts a second process, each trains on half of every batch,
# gradients are averaged over c10d/Gloo, and the training log matches one process trained on the
# same global batch. Only rank 0 writes a result file. A rank killed mid-training makes the
# cell fail with an error instead of hanging.
source "$(dirname "$0")/lib/common.bash"

# Final samples only and fp32, so that the mean over a batch is the mean of the two halves'.
common=(--set 'train.mix=[0, 0, 1]' --set 'train.precision="fp32"' --set train.steps=12 --set run.threads=1)
"$STEPER" run tiny.toml "${common[@]}" --set experiment.name='"one"' --set train.batch_size=8 > one.log 2>&1 \
  || { cat one.log; fail "one process failed"; }
"$STEPER" run tiny.toml "${common[@]}" --set experiment.name='"two"' --set train.batch_size=4 \
  --set train.world_size=2 > two.log 2>&1 || { cat two.log; fail "two processes failed"; }
grep -q "rank 1 of 2 joined the process group" two.log || { cat two.log; fail "rank 1 did not join"; }
[ "$(count_results results/two)" -eq 1 ] || fail "exactly one result file (rank 0's) expected"
[ -z "$(find cache/scratch -name 'rank*.h5*' 2>/dev/null)" ] || fail "rank 1 left a result file behind"
/usr/bin/python3 - results/one results/two <<'PY'
import glob, sys, h5py, numpy as np
one, two = (h5py.File(glob.glob(d + "/*.h5")[0], "r")["train_log"]["loss"] for d in sys.argv[1:])
assert len(one) == len(two) == 12, (len(one), len(two))
gap = np.max(np.abs(one - two) / np.abs(one))
print("largest relative difference of the per-step loss, 1 vs 2 processes:", gap)
assert gap < 1e-4, gap
PY

# Kill rank 1 once training runs: rank 0 must fail the cell within the collective timeout.
"$STEPER" run tiny.toml "${common[@]}" --set experiment.name='"dead"' --set train.steps=100000 \
  --set train.batch_size=4 --set train.world_size=2 --set train.collective_timeout_s=10 > dead.log 2>&1 &
pid=$!
for _ in $(seq 600); do grep -q "rank 1 of 2 joined" dead.log && break; sleep 0.1; done
sleep 1
rank1=$(pgrep -P "$pid" | head -1)
[ -n "$rank1" ] || { cat dead.log; fail "no rank 1 process found"; }
kill -9 "$rank1"
status=0
timeout 120 tail --pid="$pid" -f /dev/null || fail "rank 0 still runs 120 s after rank 1 died"
wait "$pid" || status=$?
[ "$status" -eq 1 ] || { cat dead.log; fail "the cell should fail (exit 1) when a rank dies, got $status"; }
grep -q "cell failed" dead.log || { cat dead.log; fail "rank 0 should report the failed cell"; }
grep -iE "rank|peer" dead.log | grep -i "fail\|died\|error" | head -3
echo "data_parallel: ok"
