#!/usr/bin/env bash
# Damaged and crafted inputs, one case per class of issue 15: each gets a clear error or correct
# behaviour, never a crash, a hang or a cached failure.
source "$(dirname "$0")/lib/common.bash"

# No crash: the exit status of a crash is 128 + the signal.
expect_clean_failure() {
  expect_failure "$@"
  local status=0; "${@:3}" >/dev/null 2>&1 || status=$?
  [ "$status" -lt 128 ] || fail "$1: crashed with status $status"
}

# --- Experiment files that would crash, block or read without end.
/usr/bin/python3 -c "print('[train]'); print('.'.join(['a'] * 100000) + ' = 1')" > deep.toml
expect_clean_failure "TOML nested 100k levels" "deep.toml:2:254: tables and arrays nested 129 levels deep" \
  "$STEPER" run --dry-run deep.toml
printf 'base = "/dev/zero"\n' > zero.toml
expect_clean_failure "base file that is a device" "it is not a regular file" timeout 20 "$STEPER" run --dry-run zero.toml
mkfifo pipe.toml
expect_clean_failure "experiment file that is a pipe" "it is not a regular file" timeout 20 "$STEPER" run pipe.toml

# --- Settings that were accepted silently or ran away.
expect_clean_failure "nan epochs" "key 'train.epochs' must be a finite number, found nan" \
  "$STEPER" run tiny.toml --set train.epochs=nan --set train.steps=0
expect_clean_failure "absurd epochs" "epochs from 0 to 1e6" "$STEPER" run tiny.toml --set train.epochs=1e300
expect_clean_failure "100000 threads" "a thread count from 0 to 1024" "$STEPER" run tiny.toml --set run.threads=100000
expect_clean_failure "results in the parent folder" "other than '.' and '..'" \
  "$STEPER" run tiny.toml --set 'experiment.name=".."'
[ "$(count_results .)" -eq 0 ] || fail "'..' wrote a result file next to results/"

# --- A teacher whose calls fail: nothing failed is cached, failures are retried, the cell fails.
for i in $(seq 0 14); do  # 15 of the 20 training questions recorded; 5 fail
  printf '{"question_id": "toy-%d", "framework": "ircot", "outputs": ["So the answer is: x."]}\n' "$i"
done > teacher.jsonl
cat > failing.toml <<'TOML'
base = "tiny.toml"
[experiment]
name = "failing"
[framework]  # a project framework: it records a failed model call as the trajectory's end
name = "ircot"
k = 2
max_steps = 4
[teacher]
name = "replay"
path = "teacher.jsonl"
[train]
filter = "none"
TOML
expect_clean_failure "teacher calls that fail" "teacher stage: 5 of 20 questions failed (more than run.max_error_rate = 0)" \
  "$STEPER" run failing.toml
ls -d cache/teacher/*.partial >/dev/null || fail "the teacher's successful questions should be kept for a retry"
[ -z "$(find cache/teacher -mindepth 1 -maxdepth 1 -type d ! -name '*.partial')" ] || fail "failed teacher trajectories were cached"
"$STEPER" status failing.toml > status.txt 2>&1 || true
grep -q "failed .*teacher stage: 5 of 20 questions failed" status.txt || { cat status.txt; fail "the cell should be reported failed, with its error"; }
"$STEPER" run failing.toml --set run.max_error_rate=0.25 > retry.log 2>&1 || { cat retry.log; fail "a 25% error share should be allowed"; }
grep -q "resumed 20 questions from .*, asked 5 that had failed again" retry.log || { cat retry.log; fail "the failed questions should be asked again, and only they"; }
grep -q "generated with failed questions, not cached" retry.log || { cat retry.log; fail "the tolerated failures should be named"; }
[ -z "$(find cache/teacher -mindepth 1 -maxdepth 1 -type d ! -name '*.partial')" ] || fail "a teacher stage with tolerated failures was cached"
# A cell that tolerated failures must not hand them to one that tolerates none.
expect_clean_failure "teacher calls that fail, after a tolerant cell" "teacher stage: 5 of 20 questions failed" \
  "$STEPER" run failing.toml --force

# --- Evaluation whose calls fail: the cell is not complete.
expect_clean_failure "evaluation calls that fail" "evaluation: 10 of 10 questions failed" \
  "$STEPER" run failing.toml --set run.max_error_rate=0.25 --set 'eval.model="teacher"'

expect_clean_failure "an empty test split" "the test split has no questions" "$STEPER" run tiny.toml --set dataset.test=0

# --- Result files crafted to crash or exhaust the reader.
"$STEPER" run tiny.toml > good.log 2>&1 || { cat good.log; fail "the good experiment should run"; }
good=$(ls results/tiny/*.h5 | head -1)
mkdir -p crafted
cp "$good" crafted/array_status.h5
cp "$good" crafted/rows.h5
# Crafted, then sealed again (result_seal.hpp) as an adversary would: past the seal, the reader's
# own checks must hold.
/usr/bin/python3 - <<'PY'
import h5py, numpy as np

def seal(path):
    with open(path, "r+b") as f:
        f.seek(512)
        rest = f.read()
        checksum = 0xcbf29ce484222325
        for byte in rest:
            checksum = ((checksum ^ byte) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
        line = b"steper-result-seal 1 bytes=%d fnv1a64=%016x\n" % (len(rest), checksum)
        f.seek(0)
        f.write(line.ljust(512, b"\0"))

with h5py.File("crafted/array_status.h5", "r+") as f:
    del f.attrs["status"]
    f.attrs.create("status", ["complete"] * 1000, dtype=h5py.string_dtype())
seal("crafted/array_status.h5")
with h5py.File("crafted/rows.h5", "r+") as f:
    del f["predictions/golds"]
    f.create_dataset("predictions/golds", shape=(300000000,), maxshape=(None,), chunks=(1024,),
                     dtype=h5py.string_dtype())
seal("crafted/rows.h5")
PY
expect_clean_failure "one-value attribute stored as an array" "attribute 'status' holds 1000 values, expected one" \
  "$STEPER" report crafted/array_status.h5
expect_clean_failure "a dataset declaring 3e8 rows" "'/predictions/golds' declares 300000000 rows" \
  "$STEPER" inspect crafted/rows.h5 --question toy-25
# Damaged without a new seal: a flipped byte deep in the file, one cut short.
/usr/bin/python3 - "$good" <<'PY'
import shutil, sys
shutil.copy(sys.argv[1], "crafted/flipped.h5")
with open("crafted/flipped.h5", "r+b") as f:
    f.seek(4000)
    byte = f.read(1)
    f.seek(4000)
    f.write(bytes([byte[0] ^ 0x40]))
data = open(sys.argv[1], "rb").read()
open("crafted/cut.h5", "wb").write(data[: len(data) * 2 // 3])
PY
expect_clean_failure "a result file with a flipped byte" "is damaged: its checksum does not match its seal" \
  "$STEPER" inspect crafted/flipped.h5 --question toy-25
expect_clean_failure "a result file cut short" "(cut short or appended to)" "$STEPER" report crafted/cut.h5
# Among good files, a damaged one is skipped with a warning naming it; the table is still made.
"$STEPER" report "$good" crafted/cut.h5 > report.txt 2> report.err || { cat report.err; fail "report should skip the damaged file"; }
grep -q "warning: skipped result file 'crafted/cut.h5'.*cut short" report.err || { cat report.err; fail "the skipped file should be named"; }
grep -q "^| " report.txt || { cat report.txt; fail "the good file should be reported"; }
cp crafted/array_status.h5 "$good"
status=0; "$STEPER" status tiny.toml > status.txt 2>&1 || status=$?
[ "$status" -lt 128 ] && grep -q "holds 1000 values" status.txt || { cat status.txt; fail "status should name the crafted file's fault"; }
"$STEPER" run tiny.toml --force > force.log 2>&1 || { cat force.log; fail "--force should replace a crafted result file"; }

# --- A full disk: the cell fails naming the free space, nothing half-written is kept, and the
# process exits without crashing (libhdf5's shutdown used to flush the half-closed file and
# segfault). Needs a small tmpfs, so root where mounting is allowed.
small=$(mktemp -d)
if mount -t tmpfs -o size=200k tmpfs "$small" 2>/dev/null; then
  trap 'umount "$small" 2>/dev/null || true; rm -rf "$WORK" "$small"' EXIT
  dd if=/dev/zero of="$small/filler" bs=1k count=150 2>/dev/null
  expect_clean_failure "a full disk" "(the file system holding it has" \
    "$STEPER" run tiny.toml --set "experiment.results_dir=\"$small/results\"" --set dataset.test=10
  [ -z "$(find "$small/results" -name '*.h5*')" ] || fail "a full disk left a result file behind"
  umount "$small"
else
  rmdir "$small"
  echo "skipped: a full disk (no tmpfs can be mounted here)"
fi

# --- Terminal control sequences from files are printed escaped; a NUL byte in model output
# becomes U+FFFD before it reaches a prompt or a result file (stored cut, it would differ).
printf '{"question_id": "toy-0", "framework": "ircot", "outputs": ["\\u001b[2J\\u001b]0;pwned\\u0007\\u0000So the answer is: x."]}\n' > escape.jsonl
cat > escape.toml <<'TOML'
base = "failing.toml"
[experiment]
name = "escape"
[teacher]
path = "escape.jsonl"
TOML
"$STEPER" run escape.toml --set run.max_error_rate=1 > escape.log 2>&1 || { cat escape.log; fail "escape.toml should run"; }
"$STEPER" inspect results/escape/*.h5 --question toy-0 > shown.txt 2>&1 || { cat shown.txt; fail "inspect failed"; }
! grep -q $'\x1b' shown.txt escape.log || fail "a control character from a file reached the terminal"
grep -qF $'\\x1b[2J\\x1b]0;pwned\\x07\xef\xbf\xbdSo the answer is' shown.txt || { cat shown.txt; fail "the escaped text, NUL replaced, should be shown"; }

# --- A read-only results folder: nothing to run is fine; a cell to run is refused by name.
# Root writes through file modes, so the folder is a tmpfs remounted read-only.
frozen=$(mktemp -d)
if mount -t tmpfs -o size=50m tmpfs "$frozen" 2>/dev/null; then
  trap 'umount "$frozen" 2>/dev/null || true; rm -rf "$WORK" "$frozen"' EXIT
  in_frozen=(escape.toml --set run.max_error_rate=1 --set "experiment.results_dir=\"$frozen\"")
  "$STEPER" run "${in_frozen[@]}" > frozen.log 2>&1 || { cat frozen.log; fail "escape.toml should run into the tmpfs"; }
  mount -o remount,ro "$frozen"
  "$STEPER" run "${in_frozen[@]}" > frozen.log 2>&1 || { cat frozen.log; fail "a read-only folder of complete results has nothing to write"; }
  grep -q "1 already complete, 0 to run" frozen.log || { cat frozen.log; fail "the complete cell should be skipped"; }
  expect_clean_failure "a read-only results folder with a cell to run" "cannot write results folder" \
    "$STEPER" run "${in_frozen[@]}" --force
  umount "$frozen"
else
  rmdir "$frozen"
  echo "skipped: a read-only results folder (no tmpfs can be mounted here)"
fi

# --- Plugins that would crash the host are skipped with a warning; the run goes on.
"$STEPER" run tiny.toml --force --set "experiment.plugin_path=[\"$STEPER_BUILD_DIR/bad_plugins\"]" \
  > plugins.log 2>&1 || { cat plugins.log; fail "broken plugins on the path should not stop the run"; }
grep -q "libsteper_data_descriptor.so.*not a function" plugins.log || { cat plugins.log; fail "the data descriptor was not reported"; }

echo "hostile_input: ok"
