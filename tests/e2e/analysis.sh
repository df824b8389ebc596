#!/usr/bin/env bash
# The figure scripts of analysis/ on a tiny grid of the test plugins: two student sizes x two
# loss weightings, plus the teacher's evaluation. Each writes a non-empty PNG, and stops with
# the file and the missing part named on a result file that lacks what it needs.
# The test plugins' results carry per-ability scores (toy_world's questions have two hops, so
# expansion is NaN); scaling.py plots against student.hidden and against the stored parameter count.
# hops.py tabulates a metric by the hop count its question ids name.
source "$(dirname "$0")/lib/common.bash"
ANALYSIS="$STEPER_SOURCE_DIR/analysis"

cat > sizes.toml <<'TOML'
base = "tiny.toml"
[experiment]
name = "sizes"
[grid]
"student.hidden" = [32, 64]
"loss.weights" = [[1.0, 1.0, 1.0], [0.5, 1.0, 1.5]]
include = [{ "eval.model" = "teacher" }]
TOML
"$STEPER" run sizes.toml > sizes.log 2>&1 || { cat sizes.log; fail "the tiny grid failed"; }
[ "$(count_results results/sizes)" -eq 5 ] || fail "expected 5 result files"

expect_png() {
  [ -s "$1" ] || fail "$1 was not written"
  [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "$1 is not a PNG"
  echo "ok: $1 ($(stat -c %s "$1") bytes)"
}
/usr/bin/python3 "$ANALYSIS/losses.py" results/sizes --out losses.png || fail "losses.py failed"
expect_png losses.png
/usr/bin/python3 "$ANALYSIS/scaling.py" results/sizes --size-key student.hidden --lines loss.weights --metric f1 \
  --out scaling.png || fail "scaling.py failed"
expect_png scaling.png
/usr/bin/python3 "$ANALYSIS/scaling.py" results/sizes --lines loss.weights --out scaling_parameters.png \
  || fail "scaling.py against the stored parameter counts failed"
expect_png scaling_parameters.png
/usr/bin/python3 "$ANALYSIS/abilities.py" results/sizes --out abilities.png \
  || fail "abilities.py failed"
expect_png abilities.png
trained_cell=$(/usr/bin/python3 - <<'PY'
import glob, h5py
for path in sorted(glob.glob("results/sizes/*.h5")):
    with h5py.File(path, "r") as f:
        if f["train_log"].shape[0]:
            print(path)
            break
PY
)

# hops.py on two copies of one cell whose question ids are rewritten to name hop counts (the
# first half 2-hop, the rest 3-hop) and whose Acc is 1 on one half: each half scores 100 in one
# copy and 0 in the other, so 50.00 ± 70.71 over the two.
mkdir hops
cp "$trained_cell" hops/a.h5
cp "$trained_cell" hops/b.h5
/usr/bin/python3 - <<'PY'
import h5py
for name, right_hops in (("a", 2), ("b", 3)):
    with h5py.File(f"hops/{name}.h5", "r+") as f:
        table = f["predictions/table"][()]
        half = len(table) // 2
        for i in range(len(table)):
            hops = 2 if i < half else 3
            table["question_id"][i] = f"{hops}hop__toy_{i}".encode()
            table["acc"][i] = 1.0 if hops == right_hops else 0.0
        f["predictions/table"][...] = table
PY
questions=$(/usr/bin/python3 -c 'import h5py; print(len(h5py.File("hops/a.h5")["predictions/table"]))')
/usr/bin/python3 "$ANALYSIS/hops.py" hops > hops.txt || fail "hops.py failed"
cat hops.txt
grep -q "| method *| cells | Acc 2-hop *| Acc 3-hop *|" hops.txt || fail "hops.py: expected columns for 2 and 3 hops"
grep -q "|  *2 | 50.00 ± 70.71 ($(( questions / 2 * 2 ))) | 50.00 ± 70.71 ($(( (questions - questions / 2) * 2 ))) |" hops.txt ||
  fail "hops.py: expected 50.00 ± 70.71 over two cells for each hop count"
/usr/bin/python3 "$ANALYSIS/hops.py" hops --csv > hops.csv || fail "hops.py --csv failed"
grep -qx "kind_weighted,2,50.0000,70.7107,$(( questions / 2 * 2 )),2,50.0000,70.7107,$(( (questions - questions / 2) * 2 )),2" hops.csv ||
  { cat hops.csv; fail "hops.py --csv: expected mean, std, questions and cells of each hop count"; }
expect_failure "hops.py on ids without hop counts" "' does not name its hop count (expected ids like 2hop__" \
  /usr/bin/python3 "$ANALYSIS/hops.py" "$trained_cell"

# Bad inputs: copies of a trained cell's file with a part removed, a file that is not HDF5,
# a missing path, a setting no cell has.
mkdir bad
cp "$trained_cell" bad/no_log.h5
cp "$trained_cell" bad/no_abilities.h5
/usr/bin/python3 - <<'PY'
import h5py
with h5py.File("bad/no_log.h5", "r+") as f:
    del f["train_log"]
with h5py.File("bad/no_abilities.h5", "r+") as f:
    del f["metrics"].attrs["ability_initialization"]
    if "student_parameters" in f["metrics"].attrs:
        del f["metrics"].attrs["student_parameters"]
PY
echo "not HDF5" > bad/broken.h5
expect_failure "losses.py without a train log" "result file 'bad/no_log.h5' lacks /train_log" \
  /usr/bin/python3 "$ANALYSIS/losses.py" bad/no_log.h5 --out x.png
expect_failure "abilities.py without per-ability scores" \
  "result file 'bad/no_abilities.h5' lacks the attribute 'ability_initialization' of /metrics" \
  /usr/bin/python3 "$ANALYSIS/abilities.py" bad/no_abilities.h5 --out x.png
expect_failure "scaling.py without a parameter count" \
  "result file 'bad/no_abilities.h5' lacks the attribute 'student_parameters' of /metrics" \
  /usr/bin/python3 "$ANALYSIS/scaling.py" bad/no_abilities.h5 --out x.png
expect_failure "scaling.py with an unknown size key" "has no numeric setting 'student.width'" \
  /usr/bin/python3 "$ANALYSIS/scaling.py" results/sizes --size-key student.width --out x.png
expect_failure "a file that is not HDF5" "result file 'bad/broken.h5' is not an HDF5 file" \
  /usr/bin/python3 "$ANALYSIS/losses.py" bad/broken.h5 --out x.png
expect_failure "a missing path" "losses.py: error: result path 'nowhere' does not exist" \
  /usr/bin/python3 "$ANALYSIS/losses.py" nowhere --out x.png
[ ! -e x.png ] || fail "no figure should be written on an error"
echo "analysis: ok"
