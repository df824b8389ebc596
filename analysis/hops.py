#!/usr/bin/python3
"""EM, F1 or Acc by number of hops, one row per loss, mean ± std over seeds, as a table.

The hop count comes from each question id, in the form MuSiQue and the synthetic world write
("2hop__...", "3hop1__...", "4hop3__..."); a result file whose questions are not named that
way (HotpotQA, 2Wiki) stops the script with its first such id. Each cell's score on the
N-hop questions is the mean over them of /predictions/table's column; a row shows the mean and
sample standard deviation of that score over its cells and, in brackets, the N-hop questions
summed over its cells; the teacher's row first, as `steper report` puts it. Markdown by default;
`--csv` gives the mean, std, questions and cells of each hop count as numbers.

Usage: /usr/bin/python3 analysis/hops.py PATH... [--rows method] [--metric acc|em|f1] [--csv]
"""
import argparse
import collections
import csv
import re
import sys

import steper_results
from steper_results import ResultError

HOP_ID = re.compile(r"(\d+)hop\d*__")
METRIC_NAMES = {"acc": "Acc", "em": "EM", "f1": "F1"}


def scores_by_hops(cell, metric):
    """hops -> (score in percent, questions) for one cell."""
    table = cell.dataset("predictions/table")[()]
    if metric not in (table.dtype.names or ()) or "question_id" not in table.dtype.names:
        raise ResultError(f"result file '{cell.path}' lacks the columns question_id and {metric} of /predictions/table")
    if table.shape[0] == 0:
        raise ResultError(f"result file '{cell.path}' has no rows in /predictions/table")
    by_hops = collections.defaultdict(list)
    for row in table:
        question_id = steper_results.text(row["question_id"])
        match = HOP_ID.match(question_id)
        if not match:
            raise ResultError(f"result file '{cell.path}': question id '{question_id}' does not name its hop count "
                              "(expected ids like 2hop__..., as MuSiQue and the synthetic world write them)")
        by_hops[int(match.group(1))].append(float(row[metric]))
    return {hops: (100.0 * sum(values) / len(values), len(values)) for hops, values in by_hops.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="result files or folders")
    parser.add_argument("--rows", default="method", help="one row per value of this setting (default: method, "
                        "the loss as `steper report` names it, with the teacher's evaluation as its own row)")
    parser.add_argument("--metric", default="acc", choices=("acc", "em", "f1"))
    parser.add_argument("--csv", action="store_true", help="CSV instead of a Markdown table")
    args = parser.parse_args()

    rows = collections.defaultdict(list)  # row label -> one {hops: (score, questions)} per cell
    for cell in steper_results.cells(args.paths):
        rows[cell.label(args.rows)].append(scores_by_hops(cell, args.metric))
    if "teacher" in rows:
        rows = {"teacher": rows.pop("teacher"), **rows}
    hop_counts = sorted({hops for cells in rows.values() for scores in cells for hops in scores})

    summaries = {label: [summary(cells, hops) for hops in hop_counts] for label, cells in rows.items()}
    metric_name = METRIC_NAMES[args.metric]
    if args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow([args.rows, "cells"] + [f"{metric_name} {hops}-hop {part}" for hops in hop_counts
                                                for part in ("mean", "std", "questions", "cells")])
        for label, by_hops in summaries.items():
            writer.writerow([label, len(rows[label])] + [f"{value:.4f}" if isinstance(value, float) else value
                                                         for entry in by_hops for value in entry])
        return
    header = [args.rows, "cells"] + [f"{metric_name} {hops}-hop" for hops in hop_counts]
    table = [[label, str(len(rows[label]))] + [shown(entry) for entry in by_hops]
             for label, by_hops in summaries.items()]
    widths = [max(len(line[i]) for line in [header, *table]) for i in range(len(header))]
    print("| " + " | ".join(name.ljust(width) for name, width in zip(header, widths)) + " |")
    print("|" + "|".join("-" * (width + 1) + ":" if i > 0 else "-" * (width + 2) for i, width in enumerate(widths)) + "|")
    for entries in table:
        print("| " + " | ".join(entry.ljust(width) if i == 0 else entry.rjust(width)
                                for i, (entry, width) in enumerate(zip(entries, widths))) + " |")


def summary(cells, hops):
    """(mean, std, questions, cells) of the scores of the cells that have `hops`-hop questions."""
    present = [scores[hops] for scores in cells if hops in scores]
    mean, std = steper_results.mean_std([score for score, _ in present])
    return mean, std, sum(count for _, count in present), len(present)


def shown(entry):
    mean, std, questions, cells = entry
    if cells == 0:
        return ""
    return (f"{mean:.2f}" if cells < 2 else f"{mean:.2f} ± {std:.2f}") + f" ({questions})"


if __name__ == "__main__":
    steper_results.run(main, "hops.py")
