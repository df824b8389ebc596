#!/usr/bin/python3
"""A metric against student size, one line per loss (the paper's Figure 4).

The x axis is the student's parameter count, from the /metrics attribute student_parameters;
result files without it (format 2) need --size-key, a setting whose value orders the
students, e.g. student.hidden. Each point is the mean over the cells of
that size and loss (seeds), with the standard deviation as an error bar; the teacher's
evaluation, where present, is a dashed horizontal line.

Usage: /usr/bin/python3 analysis/scaling.py PATH... --out scaling.png [--metric acc]
       [--size-key student.hidden] [--lines method]
"""
import argparse
import collections

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import steper_results  # noqa: E402
from steper_results import ResultError  # noqa: E402

PARAMETERS = "student_parameters"
METRICS = {"em": "EM", "f1": "F1", "acc": "Acc"}


def size_of(cell, size_key):
    if size_key:
        value = cell.setting(size_key)
        if not isinstance(value, (int, float)):
            raise ResultError(f"result file '{cell.path}' has no numeric setting '{size_key}' (found {value!r})")
        return float(value)
    if PARAMETERS not in cell.dataset("metrics").attrs:
        raise ResultError(f"result file '{cell.path}' lacks the attribute '{PARAMETERS}' of /metrics (the student's "
                          "parameter count); pass --size-key with a setting that sets the size, e.g. student.hidden")
    return cell.metric(PARAMETERS)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="result files or folders")
    parser.add_argument("--out", required=True, help="the PNG to write")
    parser.add_argument("--metric", default="acc", choices=sorted(METRICS), help="the y axis (default acc)")
    parser.add_argument("--size-key", help="a numeric setting for the x axis instead of the parameter count")
    parser.add_argument("--lines", default="method", help="one line per value of this setting (default: method, "
                        "the loss as `steper report` names it)")
    args = parser.parse_args()

    points = collections.defaultdict(lambda: collections.defaultdict(list))  # line -> size -> values
    teacher = []
    for cell in steper_results.cells(args.paths):
        if cell.evaluates_teacher():
            teacher.append(cell.metric(args.metric))
        else:
            points[cell.label(args.lines)][size_of(cell, args.size_key)].append(cell.metric(args.metric))
    if not points:
        raise ResultError("no trained cells (only the teacher's evaluation) in " + ", ".join(args.paths))

    figure, axes = plt.subplots(figsize=(6, 4.2))
    for line, by_size in points.items():
        sizes = sorted(by_size)
        summaries = [steper_results.mean_std(by_size[size]) for size in sizes]
        axes.errorbar(sizes, [mean for mean, _ in summaries], yerr=[std for _, std in summaries], marker="o",
                      capsize=3, label=line)
    if teacher:
        axes.axhline(steper_results.mean_std(teacher)[0], color="grey", linestyle="--", label="teacher")
    if not args.size_key:
        axes.set_xscale("log")
    axes.set_xlabel(args.size_key or "student parameters")
    axes.set_ylabel(f"{METRICS[args.metric]} (%)")
    axes.legend()
    axes.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(args.out, dpi=110)
    print(f"scaling.py: {sum(len(s) for s in points.values())} points on {len(points)} lines -> {args.out}")


if __name__ == "__main__":
    steper_results.run(main, "scaling.py")
