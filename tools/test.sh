#!/usr/bin/env bash
# Sets up (tools/setup.sh), builds, and runs every test: the ctest suite (unit and
# integration), then each libFuzzer target for a bounded time.
# Usage: tools/test.sh            (SMSGW_FUZZ_SECONDS=N to change the fuzz time, 0 to skip)
set -euo pipefail
cd "$(dirname "$0")/.."

tools/setup.sh
build_dir=${SMSGW_BUILD_DIR:-build}
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)" --label-exclude realmodem

if [[ -x tools/fuzz.sh && ${SMSGW_FUZZ_SECONDS:-30} != 0 ]]; then
  tools/fuzz.sh "${SMSGW_FUZZ_SECONDS:-30}"
fi
