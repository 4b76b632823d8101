#!/usr/bin/env bash
# Verifies config/smsgw.service with systemd-analyze, pointing ExecStart at the built binary.
# Usage: verify_unit.sh UNIT SMSGW_BINARY
set -euo pipefail
unit=$1 binary=$2
if ! command -v systemd-analyze >/dev/null; then
  echo "systemd-analyze not installed; skipping"; exit 77
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sed "s#^ExecStart=/usr/bin/smsgw #ExecStart=$binary #" "$unit" >"$dir/smsgw.service"
out=$(systemd-analyze verify "$dir/smsgw.service" 2>&1 || true)
if [[ -n $out ]]; then
  echo "$out"; exit 1
fi
echo "smsgw.service verified"
