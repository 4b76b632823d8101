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
  kannel
)
sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Kannel is a test peer only (tests/integration/kannel starts its own bearerbox and smsbox
# from a generated config): the package's system service (/etc/init.d/kannel, a bearerbox
# and wapbox on ports 13000 and 13002) is stopped and kept from starting at boot.
if [[ -x /etc/init.d/kannel ]] && compgen -G "/etc/rc[2345].d/S*kannel" >/dev/null; then
  "${sudo_cmd[@]}" /etc/init.d/kannel stop >/dev/null 2>&1 || true
  "${sudo_cmd[@]}" update-rc.d kannel disable >/dev/null 2>&1 || true
fi

build_dir=${SMSGW_BUILD_DIR:-build}
if [[ ! -f $build_dir/build.ninja ]]; then
  cmake -S . -B "$build_dir" -G Ninja "$@" >/dev/null
elif (($#)); then
  cmake -S . -B "$build_dir" "$@" >/dev/null
fi
cmake --build "$build_dir" -j "$(nproc)"
