#!/usr/bin/env bash
# `steper inspect` prints a training question's teacher trajectory and step-wise samples, and
# says clearly when the teacher stage has not run or the question or cell does not exist.
source "$(dirname "$0")/lib/common.bash"

expect_failure "inspect before any run" "has not run yet" "$STEPER" inspect tiny.toml --question toy-0
"$STEPER" run tiny.toml > run.log 2>&1 || { cat run.log; fail "the experiment should run"; }

"$STEPER" inspect tiny.toml --question toy-0 > inspect.txt 2> inspect.err || { cat inspect.err; fail "inspect failed"; }
for expected in "question toy-0" "teacher trajectory:" "step 1 query:" "retrieved:" "=== first sample (step 1) ===" \
                "=== final sample" "--- prompt ---" "Wikipedia Title:" "--- target ---" "filter (acc):"; do
  grep -qF -- "$expected" inspect.txt || { cat inspect.txt; fail "inspect output lacks '$expected'"; }
done

expect_failure "unknown question" "no training question with id 'nope'" "$STEPER" inspect tiny.toml --question nope
expect_failure "cell out of range" "--cell 7 is out of range" "$STEPER" inspect tiny.toml --question toy-0 --cell 7
echo "inspect: ok"
