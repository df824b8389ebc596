#!/usr/bin/env bash
# The pretraining stage: a from-scratch llama student is pretrained once on drawn worlds and
# shared by every cell that differs only downstream; its log and gate score reach the result
# file; it is cached under a key of its settings; a killed pretraining resumes to the same
# weights; the pretrained folder works as a `student.checkpoint`; a gate it misses fails the cell.
source "$(dirname "$0")/lib/common.bash"

cat > reader.toml <<'TOML'
seed = 1
[experiment]
name = "reader"
[dataset]
name = "synthetic"
entities = 100
train = 12
dev = 0
test = 4
[retriever]
name = "bm25"
[framework]
name = "ircot"
k = 2
max_steps = 3
max_passages = 4
passage_words = 30
max_new_tokens = 12
[teacher]
name = "oracle"
[student]
name = "llama"
layers = 1
hidden = 32
heads = 2
context = 1024
tokenizer_vocab = 512
[loss]
name = "vanilla_kd"
[train]
steps = 2
batch_size = 2
[pretrain]
steps = 8
batch_size = 2
warmup_steps = 2
checkpoint_every = 2
gate_every = 4
gate_questions = 6
world_questions = 8
tokenizer_worlds = 2
[pretrain.world]
name = "synthetic"
entities = 100
train = 8
dev = 0
test = 0
names = "pretraining"
[pretrain.teacher]
name = "oracle"
[grid]
"loss.name" = ["vanilla_kd", "steper"]
TOML

"$STEPER" run reader.toml > run.log 2>&1 || { cat run.log; fail "the pretraining experiment should run"; }
[ "$(grep -c 'stage pretrain: .* (pretrained;' run.log)" -eq 1 ] || { cat run.log; fail "one cell should pretrain"; }
[ "$(grep -c 'stage pretrain: .* (cached;' run.log)" -eq 1 ] || { cat run.log; fail "the other cell should reuse it"; }
reader=$(find cache/pretrain -mindepth 1 -maxdepth 1 -type d ! -name '*.partial')
[ "$(echo "$reader" | wc -l)" -eq 1 ] || fail "expected one pretrained reader in the cache, found: $reader"
for file in config.json model.safetensors tokenizer.json train_log.json; do
  [ -f "$reader/$file" ] || fail "the pretrained reader lacks $file"
done
[ -z "$(find cache -name '*.partial')" ] || fail "no partial pretraining state should be left"
/usr/bin/python3 - results/reader <<'PY'
import glob, math, sys, h5py
files = sorted(glob.glob(sys.argv[1] + "/*.h5"))
assert len(files) == 2, files
for path in files:
    with h5py.File(path, "r") as f:
        log = f["pretrain_log"][...]
        assert list(log["step"]) == list(range(1, 9)), log["step"]
        gated = [int(s) for s, d in zip(log["step"], log["dev_score"]) if not math.isnan(d)]
        assert gated == [4, 8], gated
        acc = f["metrics"].attrs["pretrain_reading_acc"]
        assert acc == log["dev_score"][-1] and 0 <= acc <= 100, acc
        assert all(math.isfinite(x) and x > 0 for x in log["loss"]), log["loss"]
        assert all(s > 0 for s in log["seconds"]), log["seconds"]
        assert len(f["train_log"]) == 2
print("pretrain log and reading accuracy in both result files")
PY
# The harness's own reader checks each file's seal (a pretraining log left open used to be
# written after it, so every such file read as damaged).
"$STEPER" report results/reader > report.txt 2> report.err || { cat report.err; fail "report should read both files"; }
! grep -q "skipped" report.err || { cat report.err; fail "a pretraining cell's result file should read whole"; }
/usr/bin/python3 "$STEPER_SOURCE_DIR/analysis/pretrain_curve.py" results/reader --out curve.png > curve.txt ||
  fail "pretrain_curve.py failed"
grep -q "1 readers -> curve.png" curve.txt && [ -s curve.png ] || { cat curve.txt; fail "the two cells share one reader: one curve"; }

# Downstream settings reuse the reader; a pretraining setting makes another.
"$STEPER" run reader.toml --set train.steps=3 --set experiment.name='"more"' > more.log 2>&1 || { cat more.log; fail "rerun failed"; }
[ "$(grep -c 'stage pretrain: .* (cached;' more.log)" -eq 2 ] || { cat more.log; fail "[train] changes must reuse the reader"; }
"$STEPER" run reader.toml --set pretrain.lr=0.002 --set experiment.name='"lr"' > lr.log 2>&1 || { cat lr.log; fail "lr run failed"; }
[ "$(find cache/pretrain -mindepth 1 -maxdepth 1 -type d | wc -l)" -eq 2 ] || fail "pretrain.lr must key another reader"
/usr/bin/python3 "$STEPER_SOURCE_DIR/analysis/pretrain_curve.py" results/reader results/lr --out curves.png \
  --label pretrain.lr,student.hidden > curves.txt || fail "pretrain_curve.py failed on two readers"
grep -q "2 readers -> curves.png" curves.txt && grep -qx "  pretrain.lr = 0.002, student.hidden = [0-9]*" curves.txt ||
  { cat curves.txt; fail "two readers, each labelled by both settings"; }

# The pretrained folder is a Hugging Face folder: a student can start from it.
/usr/bin/python3 - reader.toml "$reader" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
student = '[student]\nname = "llama"\ncheckpoint = "%s"\n' % sys.argv[2]
text = re.sub(r"\[student\]\n(?:[^\[].*\n)*", student, text)
text = text.replace('name = "reader"', 'name = "from_reader"', 1)
text = re.sub(r"\[pretrain\]\n(?:[^\[].*\n)*", "", text)
text = re.sub(r"\[pretrain\.(world|teacher)\]\n(?:[^\[].*\n)*", "", text)
open("from_reader.toml", "w").write(text)
PY
"$STEPER" run from_reader.toml > from.log 2>&1 || { cat from.log; fail "a student should start from the pretrained folder"; }
[ "$(count_results results/from_reader)" -eq 2 ] || fail "both cells should complete from the pretrained folder"

# Killed mid-way, pretraining resumes from its checkpoint to the same weights and log.
cat > long.toml <<'TOML'
base = "reader.toml"
[experiment]
name = "long"
[pretrain]
steps = 40
checkpoint_every = 5
gate_every = 20
[grid]
"loss.name" = ["vanilla_kd"]
TOML
mkdir whole killed && cp reader.toml long.toml whole/ && cp reader.toml long.toml killed/
(cd whole && "$STEPER" run long.toml > run.log 2>&1) || { cat whole/run.log; fail "uninterrupted run failed"; }
cd killed
"$STEPER" run long.toml > run1.log 2>&1 &
kill_at_checkpoint $! pretrain '10\|15\|20\|25'
[ "$(count_results results/long)" -eq 0 ] || fail "the killed run should not have finished"
"$STEPER" run long.toml > run2.log 2>&1 || { cat run2.log; fail "the resumed run failed"; }
grep -q "resuming pretraining at step" run2.log || { cat run2.log; fail "the re-run did not resume pretraining"; }
cmp "$(find ../whole/cache/pretrain -name model.safetensors)" "$(find cache/pretrain -name model.safetensors)" ||
  fail "resumed pretraining ended with other weights than an uninterrupted run"
/usr/bin/python3 - ../whole/results/long results/long <<'PY'
import glob, sys, h5py, numpy as np
a, b = (h5py.File(glob.glob(d + "/*.h5")[0], "r") for d in sys.argv[1:])
log_a, log_b = a["pretrain_log"][...], b["pretrain_log"][...]
assert len(log_a) == len(log_b) == 40, (len(log_a), len(log_b))
for column in ("step", "loss", "learning_rate", "dev_score"):
    assert np.array_equal(log_a[column], log_b[column], equal_nan=True), column
print("pretrain log identical after the resume")
PY
cd ..

# A gate the reader misses fails the cell and names the setting; bad [pretrain] values are refused.
expect_failure "gate missed" "below pretrain.gate_min = 100" \
  "$STEPER" run reader.toml --set pretrain.gate_min=100 --set experiment.name='"gate"'
grep -q 'stage pretrain: .* (cached;' err.txt || { cat err.txt; fail "gate_min is a check on the reader, not part of its key"; }
expect_failure "bad copy share" "pretrain.copy_share" "$STEPER" run reader.toml --set experiment.name='"bad"' --set 'pretrain.copy_share=[2, 0]'
expect_failure "unknown pretrain key" "unknown key 'pretrain.stpes'" "$STEPER" run reader.toml --set experiment.name='"bad"' --set pretrain.stpes=3
echo "pretrain: ok"
