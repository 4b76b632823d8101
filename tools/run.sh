#!/usr/bin/env bash
# Sets up (tools/setup.sh: packages, build into ./build) and runs `smsgw serve` in the
# foreground; Ctrl-C stops it.
#
#   tools/run.sh                          demo: no modems needed. Starts smsgw-sim with
#                                         simulated modems of two operators (Telekom 26201,
#                                         Vodafone 26202), writes a config for them under
#                                         ./demo (the database too), prints what to try, and
#                                         runs the gateway on them. The simulator stops with it.
#   SMSGW_CONFIG=FILE tools/run.sh        your configuration (real modems) instead;
#   tools/run.sh FILE                     the same.
#
# Demo settings (environment): SMSGW_DEMO_DIR (default ./demo; delete it to start over),
# SMSGW_DEMO_PORT (HTTP port, default 8080), SMSGW_DEMO_SMPP_PORT (SMPP port, default 2775),
# SMSGW_DEMO_MODEMS (default 4),
# SMSGW_DEMO_PERSONALITY (smsgw-sim --personality, default mixed: Huawei, ZTE, SIMCom,
# Quectel quirks). SMSGW_BUILD_DIR as for tools/setup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

config=${1:-${SMSGW_CONFIG:-}}
tools/setup.sh
build_dir=${SMSGW_BUILD_DIR:-build}
smsgw=$build_dir/src/smsgw
sim=$build_dir/tools/sim/smsgw-sim

if [[ -n $config ]]; then
  if [[ ! -f $config ]]; then
    echo "run: no configuration file $config" >&2
    exit 2
  fi
  echo "run: $smsgw serve --config $config   (Ctrl-C stops it; client commands take --config $config)"
  exec "$smsgw" serve --config "$config"
fi

state=${SMSGW_DEMO_DIR:-demo}
port=${SMSGW_DEMO_PORT:-8080}
smpp_port=${SMSGW_DEMO_SMPP_PORT:-2775}
modems=${SMSGW_DEMO_MODEMS:-4}
personality=${SMSGW_DEMO_PERSONALITY:-mixed}
if ! [[ $port =~ ^[0-9]+$ && $smpp_port =~ ^[0-9]+$ && $modems =~ ^[0-9]+$ ]] ||
  ((modems < 1)); then
  echo "run: SMSGW_DEMO_PORT, SMSGW_DEMO_SMPP_PORT and SMSGW_DEMO_MODEMS must be positive" \
    "whole numbers" >&2
  exit 2
fi
url=http://127.0.0.1:$port
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "run: 127.0.0.1:$port is in use (another smsgw?); stop it or set SMSGW_DEMO_PORT" >&2
  exit 1
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$smpp_port") 2>/dev/null; then
  echo "run: 127.0.0.1:$smpp_port is in use (another smsgw?); stop it or set" \
    "SMSGW_DEMO_SMPP_PORT" >&2
  exit 1
fi

mkdir -p "$state"
state=$(cd "$state" && pwd)
sim_dir=$state/sim

# A simulator left over from a run that was killed hard (its pid file names it).
if [[ -f $state/sim.pid ]]; then
  old_pid=$(<"$state/sim.pid")
  if [[ $old_pid =~ ^[0-9]+$ ]] && tr '\0' ' ' <"/proc/$old_pid/cmdline" 2>/dev/null |
    grep -qF -- "--dir $sim_dir "; then
    kill -TERM "$old_pid" 2>/dev/null || true
    for _ in {1..50}; do kill -0 "$old_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$state/sim.pid"
fi
rm -rf "$sim_dir"

# Luhn check digit of a digit string (the last digit of an ICCID, ITU-T E.118).
luhn() {
  local digits=$1 sum=0 double=1 d i
  for ((i = ${#digits} - 1; i >= 0; i--)); do
    d=${digits:i:1}
    if ((double)); then
      d=$((d * 2))
      if ((d > 9)); then d=$((d - 9)); fi
    fi
    sum=$((sum + d))
    double=$((1 - double))
  done
  echo $(((10 - sum % 10) % 10))
}

# Simulated SIMs alternate between the two operators; each gives delivery reports.
{
  echo '{'
  echo '  "defaults": {"send_latency_ms": 300, "status_report_latency_ms": 1500,'
  echo '               "status_report_outcome": "delivered", "ussd_latency_ms": 300},'
  echo '  "modems": ['
  for ((i = 0; i < modems; i++)); do
    if ((i % 2 == 0)); then
      mnc=01 operator=Telekom.de smsc=+491710760000
    else
      mnc=02 operator=Vodafone.de smsc=+491722270333
    fi
    imsi=262$mnc$(printf '%010d' $((1234500000 + i)))
    iccid=8949$mnc$(printf '%012d' $((i + 1)))
    iccid=$iccid$(luhn "$iccid")
    separator=,
    ((i + 1 < modems)) || separator=
    printf '    {"imsi": "%s", "mnc_digits": 2, "iccid": "%s", "operator": "%s", "smsc": "%s", "currency": "EUR"}%s\n' \
      "$imsi" "$iccid" "$operator" "$smsc" "$separator"
  done
  echo '  ]'
  echo '}'
} >"$state/sim-config.json"

cat >"$state/smsgw.toml" <<EOF
# Demo configuration written by tools/run.sh: the modems of smsgw-sim in $sim_dir.
# Every key and its default: config/smsgw.toml.

[store]
path = "smsgw.db"

[http]
listen = "127.0.0.1:$port"

[[modem]]
port = "$sim_dir/modem*"

[[operator]]
name = "Telekom"
mccmnc = ["26201"]
prefixes = ["+49151", "+49160", "+49170", "+49171", "+49175"]
balance = { ussd = "*100#", pattern = "([0-9]+[.,][0-9]+)", currency = "EUR" }

[[operator]]
name = "Vodafone"
mccmnc = ["26202"]
prefixes = ["+49152", "+49162", "+49172", "+49173", "+49174"]
balance = { ussd = "*100#", pattern = "([0-9]+[.,][0-9]+)", currency = "EUR" }

[routing]
default_country_code = "49"

# SMPP 3.4 on loopback: with no [[client]] account any system_id and password bind.
[smpp]
listen = "127.0.0.1:$smpp_port"
EOF

# The simulator runs in a session of its own, so Ctrl-C in the terminal reaches only the
# gateway; the gateway finishes what it is sending, then the EXIT trap stops the simulator.
setsid "$sim" --dir "$sim_dir" --modems "$modems" --personality "$personality" \
  --config "$state/sim-config.json" >"$state/sim.log" 2>&1 </dev/null &
sim_pid=$!
echo "$sim_pid" >"$state/sim.pid"
# shellcheck disable=SC2317 # run by the EXIT trap
stop_sim() {
  kill -TERM "$sim_pid" 2>/dev/null || true
  wait "$sim_pid" 2>/dev/null || true
  rm -f "$state/sim.pid"
}
trap stop_sim EXIT

for _ in {1..100}; do
  [[ -f $sim_dir/sim.json ]] && break
  if ! kill -0 "$sim_pid" 2>/dev/null; then
    echo "run: smsgw-sim failed; its log ($state/sim.log):" >&2
    cat "$state/sim.log" >&2
    exit 1
  fi
  sleep 0.1
done
if [[ ! -f $sim_dir/sim.json ]]; then
  echo "run: smsgw-sim did not get ready within 10 s; see $state/sim.log" >&2
  exit 1
fi

# The commands below are checked against README.md "The demo" (tests/docs/check_readme.py).
cat <<EOF

smsgw demo: $modems simulated modems (smsgw-sim in $sim_dir, log $state/sim.log),
Telekom SIMs (26201, numbers +49151...) and Vodafone SIMs (26202, numbers +49152...).
Config $state/smsgw.toml, database $state/smsgw.db. API: $url
Dashboard: open $url/ in a browser (no sign-in: the demo has no tokens).
SMPP: 127.0.0.1:$smpp_port (any system_id and password bind); Kannel's sendsms: $url/cgi-bin/sendsms

Try, in another terminal:

curl -s -X POST $url/api/v1/messages \\
     -H 'Content-Type: application/json' \\
     -d '{"to": "+4915112345678", "text": "Hello from smsgw"}'

curl -s "$url/cgi-bin/sendsms?to=%2B4915112345679&text=Hello+the+Kannel+way"

$smsgw modems --url $url
$smsgw messages --url $url
$smsgw balance --url $url
$smsgw send --to +4915212345678 --text "Hi" --wait --url $url

Ctrl-C stops the gateway and the simulator.

EOF

"$smsgw" serve --config "$state/smsgw.toml" &
serve_pid=$!
# SIGTERM to this script (e.g. from a supervisor) stops the gateway the same way.
trap 'kill -TERM "$serve_pid" 2>/dev/null || true' INT TERM
status=0
while true; do
  wait "$serve_pid" && status=0 || status=$?
  kill -0 "$serve_pid" 2>/dev/null || break
done
exit "$status"
