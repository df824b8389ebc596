#!/usr/bin/env bash
# `steper plugins` lists every plugin with kind, name, version and file, and warns about the
# ones it refused; `steper doctor` reports the back end and measured GFLOP/s.
source "$(dirname "$0")/lib/common.bash"
STEPER_PLUGIN_PATH="$STEPER_TEST_PLUGIN_DIR:$STEPER_BUILD_DIR/bad_plugins" "$STEPER" plugins > plugins.txt 2> warnings.txt
cat plugins.txt warnings.txt
for expected in "dataset +toy_world" "retriever +word_overlap" "framework +hop_chain" "model +gold_reader" \
                "model +char_lm" "loss +kind_weighted"; do
  grep -Eq "^$expected +[0-9.]+ +/.*libsteper_" plugins.txt || fail "steper plugins does not list '$expected'"
done
grep -q "wrong_api.*API version" warnings.txt || fail "the wrong-API plugin should be reported"
grep -q "no_descriptor.*steper_plugin_descriptor" warnings.txt || fail "the plugin without descriptor should be reported"

"$STEPER" doctor > doctor.txt
cat doctor.txt
for field in "LibTorch" "threads" "BLAS" "bf16 units" "AMX" "matmul fp32" "matmul bf16"; do
  grep -q "^$field" doctor.txt || fail "doctor lacks '$field'"
done
grep -Eq "^matmul fp32 +[0-9]+\.[0-9] GFLOP/s" doctor.txt || fail "doctor has no fp32 figure"
echo "plugins_doctor: ok"
