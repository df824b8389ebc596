#!/usr/bin/python3
"""The trajectories a steper result file stores, as JSON Lines: one line per question.

Reads the HDF5 layout with h5py alone (no steper code), so it doubles as a check that the
trajectory groups are plain HDF5. Usage:
    /usr/bin/python3 analysis/trajectories.py [--teacher] RESULT.h5... > trajectories.jsonl
By default the evaluated questions' trajectories, each with its prediction, gold answers and
EM/F1/Acc (0..1); with --teacher the training questions' teacher trajectories, each with the
filter's verdict ("kept" or the rule that dropped it). Every line also names its cell.
"""
import argparse
import json
import sys

import h5py


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def fail(message):
    sys.exit(f"trajectories.py: {message}")


def trajectories(group):
    """Each stored trajectory as a dict, from a /trajectories or /teacher_trajectories group."""
    questions = group["questions"][:]
    step_offsets = group["step_offsets"][:]
    steps = group["steps"][:]
    retrieved_offsets = group["retrieved_offsets"][:]
    ids = [text(i) for i in group["retrieved_ids"][:]]
    scores = group["retrieved_scores"][:].tolist()
    for i, question in enumerate(questions):
        yield {
            "question_id": text(question["question_id"]),
            "answer": text(question["answer"]),
            "answer_found": bool(question["answer_found"]),
            "end_reason": text(question["end_reason"]),
            "steps": [{
                "query": text(steps[j]["query"]),
                "paragraph_ids": ids[retrieved_offsets[j]:retrieved_offsets[j + 1]],
                "scores": scores[retrieved_offsets[j]:retrieved_offsets[j + 1]],
                "prompt_tokens": int(steps[j]["prompt_tokens"]),
                "generated": text(steps[j]["generated"]),
            } for j in range(step_offsets[i], step_offsets[i + 1])],
        }


def lines_of(path, teacher):
    try:
        f = h5py.File(path, "r")
    except OSError as error:
        fail(f"cannot read result file '{path}': {error}")
    with f:
        version = int(f.attrs.get("format_version", 0))
        if "trajectories" not in f:
            fail(f"result file '{path}' has format_version {version}, which stores no trajectories "
                 "(rerun its cell with `steper run ... --force`)")
        cell = text(f.attrs["cell_id"])
        if teacher:
            group = f["teacher_trajectories"]
            verdicts = [text(v) for v in group["filter"][:]]
            for trajectory, verdict in zip(trajectories(group), verdicts):
                yield {"cell": cell, **trajectory, "filter": verdict}
            return
        table = f["predictions/table"][:]
        golds = [text(g) for g in f["predictions/golds"][:]]
        offsets = f["predictions/golds_offsets"][:]
        for i, trajectory in enumerate(trajectories(f["trajectories"])):
            row = table[i]
            if text(row["question_id"]) != trajectory["question_id"]:
                fail(f"result file '{path}': /trajectories/questions row {i} is question "
                     f"'{trajectory['question_id']}', /predictions/table row {i} is '{text(row['question_id'])}'")
            yield {"cell": cell, **trajectory, "prediction": text(row["prediction"]),
                   "golds": golds[offsets[i]:offsets[i + 1]],
                   "em": float(row["em"]), "f1": float(row["f1"]), "acc": float(row["acc"])}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", metavar="RESULT.h5")
    parser.add_argument("--teacher", action="store_true", help="the teacher's trajectories on the training questions")
    args = parser.parse_args()
    for path in args.files:
        for line in lines_of(path, args.teacher):
            print(json.dumps(line, ensure_ascii=False))


if __name__ == "__main__":
    main()
