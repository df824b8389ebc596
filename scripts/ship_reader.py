#!/usr/bin/python3
"""Packs a pretrained reader from the stage cache into a folder the repository can ship.

    scripts/ship_reader.py experiments/reader.toml cache/pretrain/<key> models/reader-4x256

The weights are stored in bfloat16 (rounded to nearest even; half the size of the float32 the
pretraining stage writes). Students load them into float32 and train as usual. SHIPPED.json
records what made the reader: the experiment file's [pretrain] and [student] tables as resolved
through its `base`, the cache key, the gate accuracy, the pretraining time, and the SHA-256 of
every shipped file, so tests/e2e/shipped_reader.sh can check that the files and the experiment
file still agree.
"""
import hashlib
import json
import shutil
import struct
import sys
import tomllib
from pathlib import Path

import numpy as np


def resolved_toml(path: Path) -> dict:
    """The experiment file with its `base` chain merged in, as steper merges it (tables deep)."""
    with open(path, "rb") as f:
        document = tomllib.load(f)
    base = document.pop("base", None)
    merged = resolved_toml(path.parent / base) if base else {}

    def merge(into: dict, new: dict) -> None:
        for key, value in new.items():
            if isinstance(value, dict) and isinstance(into.get(key), dict):
                merge(into[key], value)
            else:
                into[key] = value

    merge(merged, document)
    return merged


def to_bfloat16(values: np.ndarray) -> np.ndarray:
    bits = values.astype(np.float32).view(np.uint32)
    rounding = ((bits >> 16) & 1) + 0x7FFF
    return ((bits + rounding) >> 16).astype(np.uint16)


def convert_safetensors(source: Path, target: Path) -> None:
    data = source.read_bytes()
    header_size = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8 : 8 + header_size])
    body = memoryview(data)[8 + header_size :]
    out_header, chunks, offset = {}, [], 0
    for name, entry in header.items():
        if name == "__metadata__":
            out_header[name] = entry
            continue
        begin, end = entry["data_offsets"]
        if entry["dtype"] != "F32":
            raise SystemExit(f"{source}: tensor {name} is {entry['dtype']}, expected F32")
        chunk = to_bfloat16(np.frombuffer(body[begin:end], dtype="<f4")).tobytes()
        out_header[name] = {"dtype": "BF16", "shape": entry["shape"], "data_offsets": [offset, offset + len(chunk)]}
        chunks.append(chunk)
        offset += len(chunk)
    text = json.dumps(out_header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    target.write_bytes(struct.pack("<Q", len(text)) + text + b"".join(chunks))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    experiment, source, target = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    config = resolved_toml(experiment)
    target.mkdir(parents=True, exist_ok=True)
    convert_safetensors(source / "model.safetensors", target / "model.safetensors")
    hf_config = json.loads((source / "config.json").read_text())
    hf_config["torch_dtype"] = "bfloat16"
    (target / "config.json").write_text(json.dumps(hf_config, indent=2) + "\n")
    shutil.copyfile(source / "tokenizer.json", target / "tokenizer.json")
    log = json.loads((source / "train_log.json").read_text())
    gates = [(row["step"], row["dev_score"]) for row in log if row["dev_score"] is not None]
    shipped = {
        "experiment": str(experiment),
        "pretrain_key": source.name,
        "pretrain": config["pretrain"],
        "student": config["student"],
        "framework": config["framework"],
        "gate": [{"step": step, "reading_accuracy": score} for step, score in gates],
        "pretrain_minutes": round(sum(row["seconds"] for row in log) / 60, 1),
        "source_sha256": {"model.safetensors": sha256(source / "model.safetensors")},
        "sha256": {name: sha256(target / name) for name in ("config.json", "model.safetensors", "tokenizer.json")},
    }
    (target / "SHIPPED.json").write_text(json.dumps(shipped, indent=2) + "\n")
    print(f"{target}: {sum((target / n).stat().st_size for n in shipped['sha256']) / 1e6:.1f} MB; "
          f"gate {gates[-1][1]:.1f}% at step {gates[-1][0]}")


if __name__ == "__main__":
    main()
