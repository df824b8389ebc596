#!/usr/bin/python3
"""Per-kind training losses and the weights over steps, one panel per trained cell.

Each panel plots the mean target-token loss of the first, mid and final samples in each step's
batch (left axis, solid) and the weight of each kind (right axis, dashed): StepER's learned
sigma_j = exp(s_j / 2), the fixed lambda_j of fixed_weight, 1 on the final samples of vanilla
KD. Cells that trained nothing (the teacher's evaluation) are left out.

Usage: /usr/bin/python3 analysis/losses.py PATH... --out losses.png
where each PATH is a result file or a folder searched recursively for *.h5.
"""
import argparse
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import steper_results  # noqa: E402
from steper_results import KINDS  # noqa: E402

COLOURS = {"first": "tab:blue", "mid": "tab:orange", "final": "tab:green"}


def weight_name(cell):
    return "σ" if cell.setting("loss.name") == "steper" else "weight"


def draw(axes, cell, log, name_experiment):
    weights = axes.twinx()
    for kind in KINDS:
        axes.plot(log["step"], log[f"loss_{kind}"], color=COLOURS[kind], label=f"loss {kind}")
        weights.plot(log["step"], log[f"weight_{kind}"], color=COLOURS[kind], linestyle="--",
                     label=f"{weight_name(cell)} {kind}")
    axes.set_xlabel("step")
    axes.set_ylabel("mean target-token loss")
    weights.set_ylabel(weight_name(cell))
    named = {"loss.name", "loss.weights"} if cell.setting("loss.name") == "fixed_weight" else {"loss.name"}
    other = cell.other_axes(skip=named)
    experiment = f"{cell.experiment}: " if name_experiment else ""
    axes.set_title(experiment + cell.method() + (f" ({other})" if other else ""), fontsize=10)
    lines = axes.get_legend_handles_labels()
    more = weights.get_legend_handles_labels()
    axes.legend(lines[0] + more[0], lines[1] + more[1], fontsize=7, loc="upper right")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="result files or folders")
    parser.add_argument("--out", required=True, help="the PNG to write")
    args = parser.parse_args()

    trained = [(cell, cell.train_log()) for cell in steper_results.cells(args.paths) if not cell.evaluates_teacher()]
    if not trained:
        raise steper_results.ResultError("no trained cells (only the teacher's evaluation) in " + ", ".join(args.paths))
    columns = min(3, len(trained))
    rows = math.ceil(len(trained) / columns)
    figure, panels = plt.subplots(rows, columns, figsize=(5.5 * columns, 3.8 * rows), squeeze=False)
    several_experiments = len({cell.experiment for cell, _ in trained}) > 1
    for panel, (cell, log) in zip(panels.flat, trained):
        draw(panel, cell, log, several_experiments)
    for panel in list(panels.flat)[len(trained):]:
        panel.set_visible(False)
    figure.tight_layout()
    figure.savefig(args.out, dpi=110)
    print(f"losses.py: {len(trained)} cells -> {args.out}")


if __name__ == "__main__":
    steper_results.run(main, "losses.py")
