#!/usr/bin/env bash
# Each kind of bad input gets one clear error (what, where, what was expected), a non-zero
# exit, and leaves existing result files untouched.
source "$(dirname "$0")/lib/common.bash"

"$STEPER" run tiny.toml > good.log 2>&1 || { cat good.log; fail "the good experiment should run"; }
sum_before=$(sha256sum results/tiny/*.h5)

printf 'base = "tiny.toml"\n[train\nsteps = 3\n' > malformed.toml
expect_failure "malformed TOML" "malformed.toml:2:" "$STEPER" run malformed.toml

printf 'base = "tiny.toml"\n[train]\nsteps = "many"\n' > wrong_type.toml
expect_failure "wrong type" "wrong_type.toml:3:" "$STEPER" run wrong_type.toml
grep -q "train.steps" err.txt || fail "wrong type: the key is not named"

printf 'base = "tiny.toml"\n[retriever]\nname = "word_overlap"\nmin_scor = 1.0\n' > unknown_key.toml
expect_failure "unknown key in a plugin table" "unknown_key.toml:4:1" "$STEPER" run unknown_key.toml
grep -q "min_scor" err.txt || fail "unknown key: the key is not named"

printf 'base = "tiny.toml"\n[train]\nstep = 3\n' > unknown_core_key.toml
expect_failure "unknown key in a core table" "unknown_core_key.toml:3:1" "$STEPER" run unknown_core_key.toml

expect_failure "missing experiment file" "no_such.toml" "$STEPER" run no_such.toml

printf 'base = "tiny.toml"\n[retriever]\nname = "bm99"\n' > unknown_plugin.toml
expect_failure "unknown plugin" "unknown retriever plugin 'bm99'" "$STEPER" run unknown_plugin.toml
grep -q "word_overlap" err.txt || fail "unknown plugin: the available names are not listed"

printf 'base = "tiny.toml"\n[experiment]\nname = "tiny"\nplugin_path = ["%s"]\n[retriever]\nname = "wrong_api"\n' \
  "$STEPER_BUILD_DIR/bad_plugins" > wrong_api.toml
expect_failure "plugin of another API version" "API version" "$STEPER" run wrong_api.toml
grep -Eq "version [0-9]+, but this steper provides version [0-9]+" err.txt || fail "wrong API: both versions must be named"

touch not_a_folder
printf 'base = "tiny.toml"\n[experiment]\nname = "tiny"\nresults_dir = "not_a_folder/results"\n' > unwritable.toml
expect_failure "unwritable results folder" "cannot write results folder" "$STEPER" run unwritable.toml

mkdir -p broken
head -c 1000 "$(ls results/tiny/*.h5 | head -1)" > broken/truncated.h5
expect_failure "truncated result file" "truncated.h5" "$STEPER" report broken/truncated.h5
echo "not hdf5" > broken/plain.h5
expect_failure "result file that is not HDF5" "is not an HDF5 file" "$STEPER" report broken/plain.h5

# A result file in the way that is not readable: the run reports it and leaves it alone.
cp broken/plain.h5 "$(ls results/tiny/*.h5 | head -1)"
sum_before=$(sha256sum results/tiny/*.h5)
expect_failure "unreadable result file on resume" "is not an HDF5 file" "$STEPER" run tiny.toml
grep -q "run with --force" err.txt || fail "unreadable result file: the way out is not named"

expect_failure "bad --shard" "--shard" "$STEPER" run tiny.toml --shard 3/2
expect_failure "bad --set" "--set" "$STEPER" run tiny.toml --set train.steps
# Bad command lines exit within the documented 105-114, each naming what is wrong.
for args in "run tiny.toml --jobs" "run tiny.toml --jobs many" "run tiny.toml --bogus" "run" "data" "inspect tiny.toml"; do
  status=0
  # shellcheck disable=SC2086
  "$STEPER" $args >out.txt 2>err.txt || status=$?
  [ "$status" -ge 105 ] && [ "$status" -le 114 ] || fail "command line '$args': exit $status, outside 105-114"
  [ -s err.txt ] || fail "command line '$args': nothing said on stderr"
done
expect_failure "cuda on a machine without one" "LibTorch sees no CUDA GPU" \
  "$STEPER" run tiny.toml --set 'run.device="cuda"'
expect_failure "keep the best without dev evaluation" "needs eval_every > 0" \
  "$STEPER" run tiny.toml --set 'train.keep="best"'

[ "$(sha256sum results/tiny/*.h5)" = "$sum_before" ] || fail "an existing result file was changed"
echo "bad_input: ok"
