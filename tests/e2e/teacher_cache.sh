#!/usr/bin/env bash
# The teacher stage's cache follows the files the teacher reads: a replay file left alone is
# reused, one edited under the same path makes the teacher stage run again.
source "$(dirname "$0")/lib/common.bash"

write_replay() {  # one recorded answer, $1, for each of tiny.toml's 20 training questions
  for i in $(seq 0 19); do
    printf '{"question_id": "toy-%d", "framework": "hop_chain", "outputs": ["So the answer is: %s."]}\n' "$i" "$1"
  done > teacher.jsonl
}
cat > replayed.toml <<'TOML'
base = "tiny.toml"
[experiment]
name = "replayed"
[teacher]
name = "replay"
path = "teacher.jsonl"
[train]
filter = "none"
TOML

teacher_stage() {  # runs the cell again; prints how its teacher stage got its trajectories
  "$STEPER" run replayed.toml --force > run.log 2>&1 || { cat run.log; fail "replayed.toml failed"; }
  grep -Eo "stage teacher: [0-9.]+ s \((generated|cached)" run.log | grep -Eo "generated|cached"
}
write_replay Nowhere
[ "$(teacher_stage)" = generated ] || fail "the first run should generate the teacher's trajectories"
[ -z "$(find cache/teacher -name '*.partial')" ] || fail "the teacher's resume state should be gone once its trajectories are cached"
[ "$(teacher_stage)" = cached ] || fail "an untouched replay file should reuse the cached trajectories"
write_replay Elsewhere
[ "$(teacher_stage)" = generated ] || fail "an edited replay file should generate the trajectories again"
/usr/bin/python3 - <<'PY'
import glob, h5py
[path] = glob.glob("results/replayed/*.h5")
with h5py.File(path, "r") as f:
    answers = {a.decode() if isinstance(a, bytes) else a for a in f["teacher_trajectories/questions"]["answer"]}
assert answers == {"Elsewhere"}, answers
PY
echo "teacher_cache: ok"
