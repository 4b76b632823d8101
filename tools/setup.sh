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
  kannel postgresql libpq-dev
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

# PostgreSQL is a test peer only (tests/integration/postgres: harness/postgres_cluster.hpp
# runs initdb into a temporary folder and starts its own server on a free port): the cluster
# the package creates (/etc/postgresql/<version>/main, port 5432) is stopped and set to
# `manual` in its start.conf (the init script and systemd's postgresql@ units both read it),
# and the service is kept from starting at boot.
for start_conf in /etc/postgresql/*/*/start.conf; do
  [[ -f $start_conf ]] && grep -qx auto "$start_conf" || continue
  cluster_dir=${start_conf%/start.conf}
  cluster_version=${cluster_dir%/*}
  "${sudo_cmd[@]}" pg_ctlcluster "${cluster_version##*/}" "${cluster_dir##*/}" stop \
    >/dev/null 2>&1 || true
  "${sudo_cmd[@]}" sed -i 's/^auto$/manual/' "$start_conf"
  if [[ -d /run/systemd/system ]]; then
    "${sudo_cmd[@]}" systemctl daemon-reload >/dev/null 2>&1 || true
  fi
done
if [[ -x /etc/init.d/postgresql ]] && compgen -G "/etc/rc[2345].d/S*postgresql" >/dev/null; then
  "${sudo_cmd[@]}" update-rc.d postgresql disable >/dev/null 2>&1 || true
fi

build_dir=${SMSGW_BUILD_DIR:-build}
if [[ ! -f $build_dir/build.ninja ]]; then
  cmake -S . -B "$build_dir" -G Ninja "$@" >/dev/null
elif (($#)); then
  cmake -S . -B "$build_dir" "$@" >/dev/null
fi
cmake --build "$build_dir" -j "$(nproc)"
