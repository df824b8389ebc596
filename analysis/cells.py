#!/usr/bin/python3
"""One CSV row per result file: cell id, status, grid axes, metrics, last training loss.

Reads steper's HDF5 result files with h5py, independently of the C++ reader, so it doubles
as a check that the files are plain HDF5. Usage: /usr/bin/python3 analysis/cells.py PATH...
where each PATH is a result file or a folder searched recursively for *.h5.
"""
import csv
import sys

import h5py

from steper_results import result_files, run

METRICS = ("em", "f1", "acc", "questions", "teacher_kept")


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def row_of(path):
    with h5py.File(path, "r") as f:
        axes = {text(key): text(value) for key, value in f["config/axes"][()]}
        metrics = {name: f["metrics"].attrs[name] for name in METRICS}
        log = f["train_log"]
        last_loss = log["loss"][-1] if log.shape[0] else ""
        return {"cell": f.attrs["cell_id"], "status": f.attrs["status"], "grid_index": f.attrs["grid_index"],
                **axes, **metrics, "final_train_loss": last_loss, "file": str(path)}


def main(paths):
    rows = sorted((row_of(path) for path in result_files(paths)), key=lambda row: row["grid_index"])
    if not rows:
        sys.exit("cells.py: no result files found")
    columns = list(dict.fromkeys(key for row in rows for key in row))
    writer = csv.DictWriter(sys.stdout, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    run(lambda: main(sys.argv[1:]), "cells.py")
