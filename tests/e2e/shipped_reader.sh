#!/usr/bin/env bash
# Every reader shipped in models/ is what its SHIPPED.json says: the files hash as recorded, its
# config.json and tokenizer have the shape of the recorded [student] table, the experiment file
# named there still asks for the recorded [pretrain], [student] and [framework], and the llama
# plugin loads it (bfloat16 on disk) and answers through the quick start's pipeline.
source "$(dirname "$0")/lib/common.bash"

readers=("$STEPER_SOURCE_DIR"/models/*/)
[ "${#readers[@]}" -ge 2 ] || fail "expected the quick start's and the experiments' readers in models/, found ${readers[*]}"
for reader in "${readers[@]}"; do
  reader=${reader%/}
  /usr/bin/python3 - "$reader" "$STEPER_SOURCE_DIR" <<'PY' || fail "$reader does not match its record"
import hashlib, json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[2] + "/scripts")
from ship_reader import resolved_toml

reader, source = Path(sys.argv[1]), Path(sys.argv[2])
shipped = json.loads((reader / "SHIPPED.json").read_text())
for name, digest in shipped["sha256"].items():
    actual = hashlib.sha256((reader / name).read_bytes()).hexdigest()
    assert actual == digest, f"{name}: sha256 {actual}, recorded {digest}"
config = resolved_toml(source / shipped["experiment"])
for table in ("pretrain", "student", "framework"):
    assert config[table] == shipped[table], f"[{table}] of {shipped['experiment']} differs from SHIPPED.json"
hf = json.loads((reader / "config.json").read_text())
student = shipped["student"]
assert (hf["num_hidden_layers"], hf["hidden_size"], hf["num_attention_heads"], hf["max_position_embeddings"]) == \
    (student["layers"], student["hidden"], student["heads"], student["context"]), hf
tokenizer = json.loads((reader / "tokenizer.json").read_text())
vocab = len(tokenizer["model"]["vocab"]) + len([t for t in tokenizer["added_tokens"] if t["content"] not in tokenizer["model"]["vocab"]])
assert hf["vocab_size"] == student["tokenizer_vocab"] == vocab, (hf["vocab_size"], vocab)
gate = shipped["gate"][-1]["reading_accuracy"]
assert gate >= 85, f"the shipped reader's gate accuracy is {gate}%"
print(f"{reader.name}: files, tables and shape match; gate {gate}%")
PY

  # It loads and answers: the quick start's world, two training steps, ten test questions.
  cp "$STEPER_SOURCE_DIR"/experiments/quickstart.toml .
  sed -i "s#^checkpoint = .*#checkpoint = \"$reader\"#" quickstart.toml
  "$STEPER" run quickstart.toml --set train.steps=2 --set dataset.test=10 > run.log 2>&1 || { cat run.log; fail "the quick start on $reader failed"; }
  grep -q "stage evaluate: .*(student on 10 questions" run.log || { cat run.log; fail "no evaluation on $reader"; }
done
echo "shipped_reader: ok"
