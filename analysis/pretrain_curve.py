#!/usr/bin/python3
"""The pretraining curve: the reader's exact single-hop accuracy on unseen worlds against the
tokens it has trained on (left) and the minutes it took (right), one line per pretrained reader.

Reads /pretrain_log of each result file (its dev_score column holds the gate's reading accuracy
where one was measured); minutes are the sum of the steps' wall times (drawing worlds, training,
the gate), tokens the sum of tokens_per_s x the training part of each step. Readers shared by
several cells are drawn once. Logs written before the `seconds` column existed are drawn against
steps instead.

Usage: /usr/bin/python3 analysis/pretrain_curve.py PATH... --out pretrain_curve.png [--label KEY[,KEY...]]
where each PATH is a result file or a folder searched recursively for *.h5.
"""
import argparse

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import steper_results  # noqa: E402


def curve(log):
    """(tokens, minutes, steps, accuracy) at the gated steps; tokens and minutes None without `seconds`."""
    gated = ~np.isnan(log["dev_score"])
    if "seconds" not in log.dtype.names or np.isnan(log["seconds"]).any():
        return None, None, log["step"][gated], log["dev_score"][gated]
    minutes = np.cumsum(log["seconds"]) / 60.0
    tokens = np.cumsum(log["tokens_per_s"] * log["seconds"])
    return tokens[gated], minutes[gated], log["step"][gated], log["dev_score"][gated]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="result files or folders")
    parser.add_argument("--out", required=True, help="the PNG to write")
    parser.add_argument("--label", default=None, help="settings to label the lines with, comma-separated, e.g. "
                        "student.hidden,pretrain.lr (default: the experiment's name)")
    args = parser.parse_args()

    label_keys = args.label.split(",") if args.label else []
    readers = {}
    for cell in steper_results.cells(args.paths):
        if "pretrain_log" not in cell.file:
            continue
        log = cell.dataset("pretrain_log")[()]
        key = (cell.experiment, log["loss"].tobytes())  # cells sharing a reader share its log
        label = ", ".join(f"{setting} = {cell.label(setting)}" for setting in label_keys) or cell.experiment
        readers.setdefault(key, (label, log))
    if not readers:
        raise steper_results.ResultError("no pretrained readers (no /pretrain_log) in " + ", ".join(args.paths))

    figure, (by_tokens, by_minutes) = plt.subplots(1, 2, figsize=(11, 4))
    timed = 0
    for label, log in readers.values():
        tokens, minutes, steps, accuracy = curve(log)
        if tokens is None:
            by_tokens.plot(steps, accuracy, marker="o", label=f"{label} (by step)")
            continue
        by_tokens.plot(tokens / 1e6, accuracy, marker="o", label=label)
        by_minutes.plot(minutes, accuracy, marker="o", label=label)
        timed += 1
    if not timed:
        by_minutes.text(0.5, 0.5, "no reader logged its wall times", ha="center", transform=by_minutes.transAxes)
    by_tokens.set_xlabel("tokens trained on (millions; steps where no wall times were logged)")
    by_minutes.set_xlabel("minutes (one CPU core)")
    for axes in (by_tokens, by_minutes):
        axes.set_ylabel("exact single-hop accuracy on unseen worlds (%)")
        axes.set_ylim(0, 100)
        axes.grid(alpha=0.3)
        if axes.get_legend_handles_labels()[0]:
            axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(args.out, dpi=110)
    print(f"pretrain_curve.py: {len(readers)} readers -> {args.out}")
    for label, _ in readers.values():
        print(f"  {label}")


if __name__ == "__main__":
    steper_results.run(main, "pretrain_curve.py")
