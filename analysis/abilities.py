#!/usr/bin/python3
"""Per-ability scores by loss, as bars (the paper's Figure 3).

The three reasoning abilities of method.md section 3, scored at evaluation on questions with
gold decompositions of 2 or more hops (/metrics attributes ability_initialization,
ability_expansion, ability_aggregation, percent): initialization, step 1 states the first
hop's answer; expansion, step s states hop s's answer, for middle hops whose earlier hops were
right; aggregation, the final answer is right (Acc) when the hops before the last were right.
One group of bars per ability, one bar per loss: the mean over
its cells (seeds, and any other axis), the standard deviation as an error bar. An ability no
question qualified for (NaN: e.g. no question with middle steps) has no bar.

Usage: /usr/bin/python3 analysis/abilities.py PATH... --out abilities.png [--bars method]
"""
import argparse
import collections
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import steper_results  # noqa: E402
from steper_results import ResultError  # noqa: E402

ABILITIES = (("ability_initialization", "initialization"), ("ability_expansion", "expansion"),
             ("ability_aggregation", "aggregation"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="result files or folders")
    parser.add_argument("--out", required=True, help="the PNG to write")
    parser.add_argument("--bars", default="method", help="one bar per value of this setting (default: method, "
                        "the loss as `steper report` names it, with the teacher's evaluation as its own bar)")
    args = parser.parse_args()

    scores = collections.defaultdict(lambda: collections.defaultdict(list))  # bar -> ability -> values
    for cell in steper_results.cells(args.paths):
        for attribute, _ in ABILITIES:
            scores[cell.label(args.bars)][attribute].append(cell.metric(attribute))
    summaries = {bar: {attribute: steper_results.mean_std(values) for attribute, values in by_ability.items()}
                 for bar, by_ability in scores.items()}
    if all(math.isnan(mean) for by_ability in summaries.values() for mean, _ in by_ability.values()):
        raise ResultError("no per-ability scores in " + ", ".join(args.paths) +
                          " (every one is NaN: the dataset has no gold decompositions)")

    figure, axes = plt.subplots(figsize=(6.5, 4.2))
    width = 0.8 / len(summaries)
    positions = np.arange(len(ABILITIES))
    for i, (bar, by_ability) in enumerate(summaries.items()):
        means = [by_ability[attribute][0] for attribute, _ in ABILITIES]
        stds = [by_ability[attribute][1] for attribute, _ in ABILITIES]
        axes.bar(positions + (i - (len(summaries) - 1) / 2) * width, means, width, yerr=stds, capsize=3, label=bar)
    axes.set_xticks(positions, [name for _, name in ABILITIES])
    axes.set_ylabel("score (%)")
    axes.legend(fontsize=8)
    axes.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    figure.savefig(args.out, dpi=110)
    print(f"abilities.py: {len(summaries)} bars per ability -> {args.out}")


if __name__ == "__main__":
    steper_results.run(main, "abilities.py")
