# Shared by the end-to-end tests: a scratch folder with the test experiments, the test
# plugins on the search path, and small assertions that name what they expected.
set -euo pipefail
: "${STEPER:?set by ctest: the steper binary}"
: "${STEPER_SOURCE_DIR:?set by ctest}"
: "${STEPER_TEST_PLUGIN_DIR:?set by ctest}"
export STEPER_PLUGIN_PATH="$STEPER_TEST_PLUGIN_DIR"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp "$STEPER_SOURCE_DIR"/tests/fixtures/experiments/*.toml "$WORK"/
cd "$WORK"

# Number of result files in a folder (0 when it does not exist).
count_results() { if [ -d "$1" ]; then find "$1" -maxdepth 1 -name '*.h5' | wc -l; else echo 0; fi; }

fail() { echo "FAIL: $*" >&2; exit 1; }

# expect_failure "description" "text the error must contain" command...
expect_failure() {
  local what=$1 needle=$2; shift 2
  local status=0
  "$@" >out.txt 2>err.txt || status=$?
  [ "$status" -ne 0 ] || fail "$what: expected a non-zero exit, got 0"
  grep -qF -- "$needle" err.txt || { cat err.txt >&2; fail "$what: error does not mention '$needle'"; }
  echo "ok: $what -> exit $status: $(grep -F -- "$needle" err.txt | head -1)"
}

# Every complete result file reads with h5dump and h5py.
check_result_files() {
  local folder=$1
  for f in "$folder"/*.h5; do
    h5dump -H "$f" >/dev/null || fail "h5dump cannot read $f"
  done
  /usr/bin/python3 - "$folder" <<'PY'
import glob, sys, h5py
for path in glob.glob(sys.argv[1] + "/*.h5"):
    with h5py.File(path, "r") as f:
        assert f.attrs["status"] in ("complete", "failed"), path
PY
}

# kill_at_checkpoint PID STAGE STEP_REGEX: waits until STAGE's resumable checkpoint
# (cache/STAGE/*.partial/last/progress.json) has reached a step matching STEP_REGEX, then kills
# PID with SIGKILL. Fails when no checkpoint appeared in time.
kill_at_checkpoint() {
  local pid=$1 stage=$2 steps=$3 progress=""
  for _ in $(seq 2400); do
    progress=$(find "cache/$stage" -path '*.partial/last/progress.json' 2>/dev/null | head -1 || true)
    [ -n "$progress" ] && grep -q "\"step\":\($steps\)[,}]" "$progress" && break
    sleep 0.05
  done
  kill -9 "$pid"; wait "$pid" 2>/dev/null || true
  [ -n "$progress" ] || fail "no $stage checkpoint appeared before the kill"
  echo "killed after the $stage checkpoint $(cat "$progress")"
}
