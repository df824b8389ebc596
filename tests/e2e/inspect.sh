#!/usr/bin/env bash
# `steper inspect` prints a training question's teacher trajectory and step-wise samples, and
# says clearly when the teacher stage has not run or the question or cell does not exist; the
# result file stores every trajectory, which `inspect RESULT.h5` and analysis/trajectories.py print.
source "$(dirname "$0")/lib/common.bash"

expect_failure "inspect before any run" "has not run yet" "$STEPER" inspect tiny.toml --question toy-0
"$STEPER" run tiny.toml > run.log 2>&1 || { cat run.log; fail "the experiment should run"; }

"$STEPER" inspect tiny.toml --question toy-0 > inspect.txt 2> inspect.err || { cat inspect.err; fail "inspect failed"; }
for expected in "question toy-0" "teacher trajectory:" "step 1 query:" "retrieved:" "=== first sample (step 1) ===" \
                "=== final sample" "--- prompt ---" "Wikipedia Title:" "--- target ---" "filter (acc):"; do
  grep -qF -- "$expected" inspect.txt || { cat inspect.txt; fail "inspect output lacks '$expected'"; }
done

expect_failure "unknown question" "no training question with id 'nope'" "$STEPER" inspect tiny.toml --question nope
expect_failure "no such cell" "--cell 7zz: 0 of the 1 cells" "$STEPER" inspect tiny.toml --question toy-0 --cell 7zz
cell_id=$("$STEPER" run tiny.toml --dry-run | awk 'NR == 2 { print $1 }')
"$STEPER" inspect tiny.toml --question toy-0 --cell "${cell_id:0:6}" > by_id.txt || fail "inspect --cell ID failed"
cmp -s inspect.txt by_id.txt || fail "inspect --cell of the only cell should print what inspect without --cell does"

# The result file stores one trajectory per test question (and the teacher's, per training
# question), readable with h5py alone and printed by `steper inspect RESULT.h5`.
result=$(ls results/tiny/*.h5)
test_question=$(/usr/bin/python3 - "$result" <<'PY'
import sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    questions = [q.decode() for q in f["trajectories/questions"]["question_id"]]
    predicted = [q.decode() for q in f["predictions/table"]["question_id"]]
    teacher = f["teacher_trajectories/questions"]
    assert f.attrs["format_version"] == 4, f.attrs["format_version"]
    assert len(questions) == 10 and questions == predicted, (questions, predicted)
    assert len(teacher) == 20 and len(f["teacher_trajectories/filter"]) == 20, len(teacher)
    assert f["trajectories/step_offsets"][-1] == len(f["trajectories/steps"]) > 0
    print(questions[0])
PY
) || fail "the result file's trajectories do not match its test questions"
/usr/bin/python3 "$STEPER_SOURCE_DIR/analysis/trajectories.py" "$result" > evaluated.jsonl
/usr/bin/python3 "$STEPER_SOURCE_DIR/analysis/trajectories.py" --teacher "$result" > teacher.jsonl
[ "$(wc -l < evaluated.jsonl)" -eq 10 ] || fail "trajectories.py should print 10 evaluated trajectories"
[ "$(wc -l < teacher.jsonl)" -eq 20 ] || fail "trajectories.py --teacher should print 20 teacher trajectories"
grep -q '"golds": \[' evaluated.jsonl && grep -q '"paragraph_ids": \["' evaluated.jsonl || fail "trajectories.py lines lack golds or retrieved ids"
grep -q '"filter": "kept"' teacher.jsonl || fail "trajectories.py --teacher lines lack the filter verdict"

"$STEPER" inspect "$result" --question "$test_question" > stored.txt 2>&1 || { cat stored.txt; fail "inspect of a result file failed"; }
for expected in "question $test_question (evaluated)" "gold: " "prediction: " "evaluated trajectory: " "step 1 query:" "prompt: "; do
  grep -qF -- "$expected" stored.txt || { cat stored.txt; fail "inspect of a result file lacks '$expected'"; }
done
"$STEPER" inspect "$result" --question toy-0 > stored.txt 2>&1 || { cat stored.txt; fail "inspect of a teacher trajectory failed"; }
grep -qF "teacher trajectory: " stored.txt && grep -qF "filter: " stored.txt || { cat stored.txt; fail "inspect lacks the teacher trajectory"; }
# teacher_trajectories = false leaves them out (about 2 kB per training question) and keeps
# their counts.
"$STEPER" run tiny.toml --set experiment.name='"lean"' --set eval.teacher_trajectories=false > lean.log 2>&1 \
  || { cat lean.log; fail "the run without teacher trajectories failed"; }
/usr/bin/python3 - "$(ls results/lean/*.h5)" <<'PY' || fail "eval.teacher_trajectories = false should store none"
import sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    assert len(f["teacher_trajectories/questions"]) == 0, len(f["teacher_trajectories/questions"])
    assert f["metrics"].attrs["teacher_trajectories"] == 20, f["metrics"].attrs["teacher_trajectories"]
    assert len(f["trajectories/questions"]) == 10
PY
expect_failure "question not in the result file" "holds no trajectory of question 'nope'" "$STEPER" inspect "$result" --question nope
expect_failure "--cell with a result file" "--cell and --set apply to experiment files" "$STEPER" inspect "$result" --question toy-0 --cell 1
echo "inspect: ok"
