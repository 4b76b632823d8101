#!/usr/bin/env bash
# Installs the Debian packages smsgw needs (when any is missing), then configures and
# builds into ./build with every core. Idempotent and quiet when all is there.
# Usage: tools/setup.sh [extra cmake -D options...]
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libserialport-dev libboost-dev libsqlite3-dev libcli11-dev libspdlog-dev
  libgtest-dev libgmock-dev nlohmann-json3-dev libtomlplusplus-dev libssl-dev
  clang libclang-rt-14-dev python3 python3-gammu sqlite3 curl dpkg-dev tzdata faketime
  chromium chromium-driver python3-selenium
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

build_dir=${SMSGW_BUILD_DIR:-build}
if [[ ! -f $build_dir/build.ninja ]]; then
  cmake -S . -B "$build_dir" -G Ninja "$@" >/dev/null
elif (($#)); then
  cmake -S . -B "$build_dir" "$@" >/dev/null
fi
cmake --build "$build_dir" -j "$(nproc)"
