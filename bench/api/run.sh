#!/usr/bin/env bash
# The HTTP API under load: wrk against the console's busiest read endpoints on the demo province
# (260,746 people by default), each beside the same server's static health endpoint (the limit),
# in one run.
# Usage: bench/api/run.sh [SECONDS] [CONNECTIONS] [PEOPLE]   (WENJIU_BIN: another build to measure)
# Data: bench/api/data/PEOPLE/demo.db, loaded once by `wenjiu demo --no-serve --people PEOPLE`
# (under a minute for the default 30,000, which calibration tops up to the seed's figures).
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS="${1:-10}"
CONNS="${2:-16}"
PEOPLE="${3:-30000}"
DIR="bench/api/data/$PEOPLE"
ADDR=127.0.0.1:18190
BASE="http://$ADDR/api/v1"
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
command -v sqlite3 >/dev/null || apt-get install -y sqlite3 >/dev/null
if [ -z "${WENJIU_BIN:-}" ]; then
  cargo build -q --release -p wenjiu-cli
  WENJIU_BIN=target/release/wenjiu
fi
mkdir -p "$DIR"
DB="sqlite://$DIR/demo.db"
# Calibration tops the registry up to the seed's monthly figures, which a base larger than the
# default already exceeds: larger provinces are loaded as generated.
CALIBRATE=()
[ "$PEOPLE" -le 30000 ] || CALIBRATE=(--no-calibrate)
[ -s "$DIR/demo.db" ] ||
  "$WENJIU_BIN" demo --no-serve --people "$PEOPLE" "${CALIBRATE[@]}" --db "$DB" >"$DIR/load.log" 2>&1

# Served by `demo`, which keeps the demo's business date (2020-05-31): `serve` would derive
# everyone's key groups again as of today first.
"$WENJIU_BIN" demo --db "$DB" --addr "$ADDR" >"$DIR/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null' EXIT
until curl -sf "$BASE/health" >/dev/null; do sleep 0.2; done

# A session cookie for a demo account.
session() {
  curl -sf -c - -H 'content-type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$2\"}" "$BASE/auth/login" |
    awk '$6 == "wenjiu_session" { print "wenjiu_session=" $7 }'
}
ADMIN=$(session admin Admin@2020)
CITY=$(session shenyang Shenyang@2020)
PERSON=$(curl -sf -b "$CITY" "$BASE/persons?page_size=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["rows"][0]["id"])')

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(free -g | awk '/Mem:/{print $2}') GiB"
echo "versions: $("$WENJIU_BIN" --version), $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"
echo "data: $(sqlite3 "$DIR/demo.db" 'SELECT COUNT(*) FROM person') people"
echo "load: wrk -t2 -c$CONNS -d${SECS}s, server and wrk on the same cores"
printf '%-44s %10s %9s %9s %8s\n' endpoint "req/s" "p50 ms" "p99 ms" "limit/x"

# Prints requests/s and the 50th and 99th percentile latencies in ms of one wrk run.
measure() {
  local cookie=$1 path=$2
  local args=(-t2 "-c$CONNS" "-d${SECS}s" --latency --timeout 10s)
  [ -n "$cookie" ] && args+=(-H "Cookie: $cookie")
  wrk "${args[@]}" "$BASE$path" | python3 -c '
import re, sys
out = sys.stdin.read()
def ms(v, unit): return float(v) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
p = {int(k): ms(v, u) for k, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)}
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
if bad: sys.exit(f"{bad.group(1)} failed responses")
# No response within the run (wrk reports no latencies then): shown as 0 and "-".
print(f"{rps:.0f} " + " ".join(f"{p[k]:.2f}" if k in p else "-" for k in (50, 99)))'
}

read -r limit p50 p99 < <(measure "" /health)
printf '%-44s %10s %9s %9s %8s\n' "GET /health (the limit)" "$limit" "$p50" "$p99" "1.0"
while IFS='|' read -r who cookie path; do
  read -r rps p50 p99 < <(measure "$cookie" "$path")
  ratio=$(python3 -c "print(f'{$limit / $rps:.1f}' if $rps else '-')")
  printf '%-44s %10s %9s %9s %8s\n' "GET $path ($who)" "$rps" "$p50" "$p99" "$ratio"
done <<LIST
public||/policy/policies
沈阳|$CITY|/auth/me
沈阳|$CITY|/persons
沈阳|$CITY|/persons?key_group=unemployed_6m
沈阳|$CITY|/persons?status=unemployed&region=210102
沈阳|$CITY|/persons/$PERSON
沈阳|$CITY|/stats/overview
省|$ADMIN|/persons
省|$ADMIN|/stats/overview
沈阳|$CITY|/enterprises
沈阳|$CITY|/households?zero_employment=true
省|$ADMIN|/enterprises
省|$ADMIN|/enterprises?industry=C&size_class=small
省|$ADMIN|/households
LIST
