#!/usr/bin/env bash
# Sets up (tools/setup.sh) and runs smsgw.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
exec build/src/smsgw --help
