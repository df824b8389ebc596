#!/usr/bin/env bash
# A failing cell is recorded as failed with its error, the other cells go on, and the exit
# code is the number of failed cells. The re-run retries only the failed one.
source "$(dirname "$0")/lib/common.bash"
cat > failing.toml <<'TOML'
base = "tiny.toml"
[experiment]
name = "failing"
[grid]
"dataset.fail" = [false, true]
TOML
status=0; "$STEPER" run failing.toml > run.log 2>&1 || status=$?
[ "$status" -eq 1 ] || { cat run.log; fail "exit code should be 1 (one failed cell), got $status"; }
[ "$(count_results results/failing)" -eq 2 ] || fail "both cells should have result files"
/usr/bin/python3 - <<'PY'
import glob, h5py
states = {}
for path in glob.glob("results/failing/*.h5"):
    with h5py.File(path, "r") as f:
        states[f.attrs["status"]] = f.attrs["error"]
assert set(states) == {"complete", "failed"}, states
assert "failing as configured" in states["failed"], states["failed"]
print("recorded error:", states["failed"])
PY
status=0; "$STEPER" run failing.toml > rerun.log 2>&1 || status=$?
[ "$status" -eq 1 ] || fail "the re-run should fail the same cell again"
grep -q "1 already complete, 1 to run" rerun.log || { cat rerun.log; fail "the re-run should retry only the failed cell"; }
"$STEPER" report results/failing > table.md
grep -q "failed" table.md || { cat table.md; fail "report should mention the failed cell"; }

# A --force recomputation that fails keeps the complete result and stores its own next to it.
# The cache folder is an [experiment] setting, outside the cell's id: pointing it at a file
# makes the same cell fail.
"$STEPER" run tiny.toml > tiny.log 2>&1 || { cat tiny.log; fail "tiny.toml should complete"; }
id=$("$STEPER" status tiny.toml | grep -Eo '^[0-9a-f]{16}')
touch not-a-folder
status=0; "$STEPER" run tiny.toml --force --set experiment.cache_dir='"not-a-folder"' > forced.log 2>&1 || status=$?
[ "$status" -eq 1 ] || { cat forced.log; fail "the forced recomputation should fail, got exit $status"; }
grep -q "kept the complete result" forced.log || { cat forced.log; fail "the run should say it kept the complete result"; }
/usr/bin/python3 - "results/tiny/$id.h5" <<'PY'
import sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    assert f.attrs["status"] == "complete", "the complete result was replaced"
with h5py.File(sys.argv[1] + ".failed", "r") as f:
    assert f.attrs["status"] == "failed" and "not-a-folder" in f.attrs["error"], dict(f.attrs)
PY
"$STEPER" status tiny.toml | grep -q "^1 cells: 1 done" || fail "status should still show the cell done"
"$STEPER" run tiny.toml --force > forced2.log 2>&1 || { cat forced2.log; fail "a forced recomputation should complete"; }
[ ! -e "results/tiny/$id.h5.failed" ] || fail "a completed recomputation should remove the stale $id.h5.failed"
echo "failed_cell: ok"
