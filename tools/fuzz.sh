#!/usr/bin/env bash
# Builds every libFuzzer target (tests/fuzz, listed by its CMakeLists) with clang into
# build-fuzz and runs each one for SECONDS, starting from its seed corpus in
# tests/fuzz/corpus/<name>/. Prints the executions per target; exits non-zero when any
# target crashes (the crashing input is kept in build-fuzz/artifacts/).
# Usage: tools/fuzz.sh [SECONDS]     (default 30; SMSGW_FUZZ_BUILD_DIR overrides build-fuzz)
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-30}
if ! [[ $seconds =~ ^[0-9]+$ ]] || ((seconds < 1)); then
  echo "usage: tools/fuzz.sh [SECONDS]   (SECONDS: a positive whole number)" >&2
  exit 2
fi
build_dir=${SMSGW_FUZZ_BUILD_DIR:-build-fuzz}

if [[ ! -f $build_dir/build.ninja ]]; then
  CC=clang CXX=clang++ cmake -S . -B "$build_dir" -G Ninja \
    -DSMSGW_FUZZ=ON -DSMSGW_TESTS=OFF -DSMSGW_BENCH=OFF >/dev/null
fi
cmake --build "$build_dir" --target fuzzers -j "$(nproc)"

artifacts=$build_dir/artifacts
mkdir -p "$artifacts"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

failed=()
while read -r name; do
  [[ -n $name ]] || continue
  fuzzer=$build_dir/tests/fuzz/fuzz_$name
  seeds=tests/fuzz/corpus/$name
  mkdir -p "$work/$name"
  corpus=("$work/$name")  # new inputs go to the scratch dir; the committed seeds stay small
  [[ -d $seeds ]] && corpus+=("$seeds")
  log=$work/$name.log
  if "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/$name-" "${corpus[@]}" >"$log" 2>&1; then
    execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log")
    echo "fuzz: $name: ${execs:-?} executions in ${seconds}s, no crash"
  else
    echo "fuzz: $name: CRASH (input saved under $artifacts/$name-*); end of its log:"
    tail -n 40 "$log"
    failed+=("$name")
  fi
done <"$build_dir/tests/fuzz/fuzzers.txt"

if ((${#failed[@]})); then
  echo "fuzz: crashed: ${failed[*]}" >&2
  exit 1
fi
