"""Shared by the figure scripts: finding result files, reading what a figure needs from each,
and stopping with the file and the missing part named.

A figure script calls cells(paths) for the complete cells (failed ones are skipped with a line
on stderr) and the helpers below for what it needs; every helper raises ResultError naming the
file and the HDF5 path it lacks, and run() turns that into `SCRIPT: error: ...` and exit 1.
"""
import math
import pathlib
import sys
import tomllib

import h5py
import numpy as np

KINDS = ("first", "mid", "final")  # the step kinds, in the order of the train-log columns


class ResultError(Exception):
    pass


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


class Cell:
    """One result file: attributes, grid axes (key -> TOML text) and resolved settings."""

    def __init__(self, path):
        self.path = str(path)
        try:
            self.file = h5py.File(path, "r")
        except OSError as error:
            raise ResultError(f"result file '{path}' is not an HDF5 file ({error})") from None
        if text(self.file.attrs.get("format", "")) != "steper-result":
            raise ResultError(f"result file '{path}' is not a steper result file (no root attribute format = steper-result)")
        self.status = text(self.file.attrs.get("status", ""))
        self.experiment = text(self.file.attrs.get("experiment", ""))
        self.axes = {text(key): text(value) for key, value in self.dataset("config/axes")[()]}
        resolved = self.dataset("config/resolved_toml")[()]
        self.settings = tomllib.loads(text(resolved.item() if hasattr(resolved, "item") else resolved))

    def dataset(self, name):
        if name not in self.file:
            raise ResultError(f"result file '{self.path}' lacks /{name}")
        return self.file[name]

    def setting(self, dotted, default=None):
        node = self.settings
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return node

    def metric(self, name):
        metrics = self.dataset("metrics")
        if name not in metrics.attrs:
            raise ResultError(f"result file '{self.path}' lacks the attribute '{name}' of /metrics")
        return float(metrics.attrs[name])

    def train_log(self):
        """The per-step training log as a structured array; an error when it has no rows."""
        log = self.dataset("train_log")[()]
        if log.shape[0] == 0:
            raise ResultError(f"result file '{self.path}' has no rows in /train_log (a cell that trained nothing)")
        missing = [column for column in ("step", *(f"{what}_{kind}" for what in ("loss", "weight") for kind in KINDS))
                   if column not in log.dtype.names]
        if missing:
            raise ResultError(f"result file '{self.path}' lacks the columns {', '.join(missing)} of /train_log")
        return log

    def evaluates_teacher(self):
        return self.setting("eval.model", "student") == "teacher"

    def method(self):
        """The row label `steper report` computes: teacher, else the loss plugin's `label` setting
        (vanilla-KD, fixed λ = (...), StepER), else the loss's name."""
        if self.evaluates_teacher():
            return "teacher"
        return self.setting("loss.label") or self.setting("loss.name", "?")

    def label(self, key):
        """`method` or a setting's value, as the group or line this cell belongs to."""
        if key == "method":
            return self.method()
        value = self.setting(key)
        if value is None:
            raise ResultError(f"result file '{self.path}' has no setting '{key}' (see /config/resolved_toml)")
        return str(value)

    def other_axes(self, skip):
        """The grid axes not in `skip`, as "key=value" text for a title."""
        return ", ".join(f"{key}={value}" for key, value in self.axes.items() if key not in skip)


def result_files(paths):
    for path in map(pathlib.Path, paths):
        if path.is_dir():
            yield from sorted(path.rglob("*.h5"))
        elif path.exists():
            yield path
        else:
            raise ResultError(f"result path '{path}' does not exist")


def cells(paths):
    """The complete cells under paths, in grid order; failed cells are named on stderr."""
    found = []
    for path in result_files(paths):
        cell = Cell(path)
        if cell.status == "complete":
            found.append(cell)
        else:
            print(f"skipping failed cell '{path}': {text(cell.file.attrs.get('error', ''))}", file=sys.stderr)
    if not found:
        raise ResultError("no complete result files in " + ", ".join(map(str, paths)))
    return sorted(found, key=lambda cell: (cell.experiment, int(cell.file.attrs.get("grid_index", 0))))


def mean_std(values):
    """Mean and sample standard deviation (0 for one value) of the finite values; NaN for none."""
    finite = [value for value in values if math.isfinite(value)]
    if not finite:
        return math.nan, math.nan
    return float(np.mean(finite)), float(np.std(finite, ddof=1)) if len(finite) > 1 else 0.0


def run(main, script):
    """Runs main(), turning a ResultError into `script: error: ...` and exit status 1."""
    try:
        main()
    except ResultError as error:
        sys.exit(f"{script}: error: {error}")
