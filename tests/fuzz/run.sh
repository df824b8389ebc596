#!/usr/bin/env bash
# Runs every fuzz target of a STEPER_FUZZ build for SECONDS each, starting from its seeds, and
# prints one line per target (executions, corpus, findings). Exits non-zero when any target
# finds a crash, a leak, an uncaught exception, a timeout or runaway memory; the input that did
# it is kept in BUILD/fuzz-findings/.
#   tests/fuzz/run.sh BUILD SECONDS [TARGET...]
set -uo pipefail
build=$1 seconds=$2
shift 2
source_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
seeds="$source_dir/tests/fuzz/seeds"
fixtures="$source_dir/tests/fixtures"

declare -A seed_dirs=(
  [fuzz_experiment]="$fixtures/experiments $fixtures/config $source_dir/experiments"
  [fuzz_result_file]="$seeds/result_file"
  [fuzz_hotpotqa]="$fixtures/datasets/hotpotqa"
  [fuzz_twowiki]="$seeds/twowiki"
  [fuzz_musique]="$fixtures/datasets/musique"
  [fuzz_ircot]="$fixtures/datasets/ircot $fixtures/datasets/musique/corpus.jsonl"
  [fuzz_replay]="$seeds/replay"
  [fuzz_safetensors]="$seeds/safetensors"
  [fuzz_hf_config]="$source_dir/plugins/models/llama/checkpoint/tests/fixtures $source_dir/models/*/config.json"
  [fuzz_tokenizer]="$seeds/tokenizer $source_dir/models/*/tokenizer.json"
  [fuzz_openai_response]="$seeds/openai_response"
  [fuzz_bm25_index]="$seeds/bm25_index"
)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=($(printf '%s\n' "${!seed_dirs[@]}" | sort))

mkdir -p "$build/fuzz-corpus" "$build/fuzz-findings"
failed=0
printf '%-22s %8s %12s %8s %s\n' target seconds executions corpus result
for target in "${targets[@]}"; do
  corpus="$build/fuzz-corpus/$target"
  mkdir -p "$corpus"
  log="$build/fuzz-findings/$target.log"
  # Seeds are read from files and folders alike; libFuzzer takes only folders, so files are copied in.
  # Unquoted, so the models/*/ patterns above expand to every shipped reader (named by folder).
  dirs=()
  for seed in ${seed_dirs[$target]}; do
    if [ -d "$seed" ]; then dirs+=("$seed"); else cp "$seed" "$corpus/$(basename "$(dirname "$seed")")-$(basename "$seed")"; fi
  done
  ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}" \
    "$build/fuzz/$target" "$corpus" "${dirs[@]}" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2560 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$build/fuzz-findings/$target-" >"$log" 2>&1
  status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  if [ $status -eq 0 ]; then result=ok; else result="FOUND (exit $status, see $log)"; failed=1; fi
  printf '%-22s %8s %12s %8s %s\n' "$target" "$seconds" "${runs:-?}" "$(ls "$corpus" | wc -l)" "$result"
  [ $status -eq 0 ] || grep -m 3 -E "ERROR|SUMMARY|terminate|uncaught" "$log" | sed 's/^/    /'
done
exit $failed
