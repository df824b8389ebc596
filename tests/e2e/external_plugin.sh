#!/usr/bin/env bash
# A plugin built out of tree against the installed package is found and listed by the
# already-built host: swapping plugins needs no rebuild of steper.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Runs a command quietly; on failure shows its output and stops.
quiet() {
  local log="$tmp/$1.log"
  shift
  "$@" >"$log" 2>&1 || { cat "$log" >&2; echo "FAIL: $*" >&2; exit 1; }
}

quiet install cmake --install "$STEPER_BUILD_DIR" --prefix "$tmp/prefix"
quiet configure cmake -S "$STEPER_SOURCE_DIR/tests/external_plugin" -B "$tmp/build" \
  -DCMAKE_PREFIX_PATH="$tmp/prefix" -DCMAKE_BUILD_TYPE=RelWithDebInfo
quiet build cmake --build "$tmp/build" -j2
test -f "$tmp/build/libsteper_title_match.so"

listing=$(STEPER_PLUGIN_PATH="$tmp/build" "$STEPER" plugins)
if ! grep -E 'retriever.*title_match' <<<"$listing"; then
  echo "FAIL: 'steper plugins' does not list title_match from $tmp/build:" >&2
  echo "$listing" >&2
  exit 1
fi

# The installed host finds a plugin dropped into <prefix>/lib/steper/plugins by itself.
mkdir -p "$tmp/prefix/lib/steper/plugins"
cp "$tmp/build/libsteper_title_match.so" "$tmp/prefix/lib/steper/plugins/"
env -u STEPER_PLUGIN_PATH "$tmp/prefix/bin/steper" plugins | grep -E "retriever +title_match .*$tmp/prefix/lib/steper/plugins" \
  || { echo "FAIL: the installed steper does not find plugins in its prefix" >&2; exit 1; }

# ... and the already-built host runs a whole experiment with it as the retriever.
cp "$STEPER_SOURCE_DIR"/tests/fixtures/experiments/tiny.toml "$tmp/"
cd "$tmp"
STEPER_PLUGIN_PATH="$tmp/build:$STEPER_TEST_PLUGIN_DIR" quiet run "$STEPER" run tiny.toml \
  --set retriever.name=title_match --set experiment.name=external
/usr/bin/python3 - <<'PY'
import glob, h5py
[path] = glob.glob("results/external/*.h5")
with h5py.File(path, "r") as f:
    assert f.attrs["status"] == "complete", f.attrs["error"]
    resolved = f["config/resolved_toml"][()].decode()
    assert 'name = "title_match"' in resolved, resolved
PY
echo "PASS: title_match, built out of tree against the installed package, is listed and runs"
