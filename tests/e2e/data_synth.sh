#!/usr/bin/env bash
# `steper data synth` writes the synthetic world as MuSiQue JSONL (train/dev/test) plus a
# corpus JSONL; every line parses with Python's json module and has MuSiQue's fields.
# Read back by the `musique` reader, the files give the same questions as the `synthetic`
# plugin itself, and both run through BM25 retrieval and the pipeline.
source "$(dirname "$0")/lib/common.bash"
"$STEPER" data synth --out synth --set entities=300 --set train=40 --set dev=10 --set test=20 --set seed=7 > synth.txt
cat synth.txt
grep -q "40 questions -> synth/train.jsonl" synth.txt || fail "no train summary line"

/usr/bin/python3 - synth <<'PY'
import json, sys
folder = sys.argv[1]
corpus = [json.loads(line) for line in open(f"{folder}/corpus.jsonl")]
assert 300 <= len(corpus) <= 400, len(corpus)
assert all(set(p) == {"id", "title", "text"} for p in corpus)
texts = {p["title"]: p["text"] for p in corpus}
for split, count in (("train", 40), ("dev", 10), ("test", 20)):
    rows = [json.loads(line) for line in open(f"{folder}/{split}.jsonl")]
    assert len(rows) == count, (split, len(rows))
    for row in rows:
        assert set(row) == {"id", "question", "answer", "answer_aliases", "answerable", "paragraphs",
                            "question_decomposition"}, row.keys()
        assert row["answerable"] is True and row["answer"]
        for i, p in enumerate(row["paragraphs"]):
            assert p["idx"] == i and set(p) == {"idx", "title", "paragraph_text", "is_supporting"}
            assert texts[p["title"]] == p["paragraph_text"]
        steps = row["question_decomposition"]
        assert 2 <= len(steps) <= 4, row["id"]
        for step in steps:
            assert set(step) == {"id", "question", "answer", "paragraph_support_idx"}
            support = row["paragraphs"][step["paragraph_support_idx"]]
            assert support["is_supporting"] and step["answer"] in support["paragraph_text"], (row["id"], step)
print("parsed", len(corpus), "paragraphs and 70 questions")
PY

# The same seed writes the same files; a bad setting names its key.
"$STEPER" data synth --out again --set entities=300 --set train=40 --set dev=10 --set test=20 --set seed=7 > /dev/null
for f in corpus train dev test; do cmp -s "synth/$f.jsonl" "again/$f.jsonl" || fail "$f.jsonl differs between runs"; done
expect_failure "too small a world" "dataset.entities" "$STEPER" data synth --out bad --set entities=5
expect_failure "an unknown key" "entitys" "$STEPER" data synth --out bad --set entitys=500
# Both paths on the same data: the synthetic plugin directly, and its files via `musique`.
cat > from_plugin.toml <<'TOML'
[experiment]
name = "from_plugin"
[dataset]
name = "synthetic"
entities = 300
train = 40
dev = 10
test = 20
seed = 7
[retriever]
name = "bm25"
[framework]
name = "hop_chain"
k = 2
max_steps = 5
max_passages = 8
[teacher]
name = "gold_reader"
[eval]
model = "teacher"
TOML
cat > from_files.toml <<TOML
[experiment]
name = "from_files"
[dataset]
name = "musique"
train = "$WORK/synth/train.jsonl"
dev = "$WORK/synth/dev.jsonl"
test = "$WORK/synth/test.jsonl"
corpus = "$WORK/synth/corpus.jsonl"
[retriever]
name = "bm25"
[framework]
name = "hop_chain"
k = 2
max_steps = 5
max_passages = 8
[teacher]
name = "gold_reader"
[eval]
model = "teacher"
TOML
export STEPER_PLUGIN_PATH="$STEPER_BUILD_DIR/plugins:$STEPER_TEST_PLUGIN_DIR"
# `steper index` builds the index ahead of time; the run then finds it in the cache.
"$STEPER" index from_plugin.toml > index.log 2>&1 || { cat index.log; fail "steper index failed"; }
grep -q "stage index: .*(built)" index.log || { cat index.log; fail "steper index should build the index"; }
for experiment in from_plugin from_files; do
  "$STEPER" run "$experiment.toml" > "$experiment.log" 2>&1 || { cat "$experiment.log"; fail "$experiment failed"; }
done
grep -q "stage index: .*(cached)" from_plugin.log || { cat from_plugin.log; fail "the run should reuse the prebuilt index"; }
/usr/bin/python3 - <<'PY'
import glob, h5py
def questions(name):
    [path] = glob.glob(f"results/{name}/*.h5")
    with h5py.File(path, "r") as f:
        assert f.attrs["status"] == "complete", f.attrs["error"]
        table = f["predictions/table"][()]
        golds = [g.decode() for g in f["predictions/golds"][()]]
        return [q.decode() for q in table["question_id"]], golds, f["metrics"].attrs["acc"]
a, b = questions("from_plugin"), questions("from_files")
assert a[0] == b[0], "the musique reader should give the synthetic plugin's test questions"
assert a[1] == b[1], "and the same gold answers"
print("same", len(a[0]), "test questions both ways; teacher Acc", a[2], "and", b[2])
PY
# A retriever's own files are part of its index's key (Retriever::fingerprint): editing
# word_overlap's stopword list rebuilds the index, an untouched list finds it in the cache.
echo the > stopwords.txt
printf 'base = "from_plugin.toml"\n[retriever]\nname = "word_overlap"\nstopwords = "stopwords.txt"\n' > stopwords.toml
"$STEPER" index stopwords.toml > sw1.log 2>&1 || { cat sw1.log; fail "index with stopwords failed"; }
"$STEPER" index stopwords.toml > sw2.log 2>&1 || { cat sw2.log; fail "second index with stopwords failed"; }
echo of >> stopwords.txt
"$STEPER" index stopwords.toml > sw3.log 2>&1 || { cat sw3.log; fail "index with edited stopwords failed"; }
grep -q "stage index: .*(built)" sw1.log || { cat sw1.log; fail "the first index should be built"; }
grep -q "stage index: .*(cached)" sw2.log || { cat sw2.log; fail "unchanged stopwords should reuse the index"; }
grep -q "stage index: .*(built)" sw3.log || { cat sw3.log; fail "edited stopwords should rebuild the index"; }
# Killed while writing: the file being written never appears cut short under its own name.
"$STEPER" data synth --out killed --set entities=60000 --set train=20000 --set dev=0 --set test=0 > /dev/null 2>&1 &
pid=$!
for _ in $(seq 2000); do compgen -G "killed/train.jsonl.*.tmp" > /dev/null && break; sleep 0.01; done
compgen -G "killed/train.jsonl.*.tmp" > /dev/null || fail "train.jsonl was never seen being written"
kill -9 "$pid"; wait "$pid" 2>/dev/null || true
[ ! -e killed/train.jsonl ] || fail "a killed data synth left a train.jsonl behind"
echo "data_synth: ok"
