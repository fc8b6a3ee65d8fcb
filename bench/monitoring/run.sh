#!/usr/bin/env bash
# One month's unemployment-monitoring run for N monitored enterprises (default 100,000) with
# 36 months of history: wenjiu's `run_monitoring` (the six default warning rules) plus
# `monitoring_summary` (the month's figures), against DuckDB computing the same findings and
# figures from the same rows. Both timed inside their process, best of RUNS, on warm data.
#
# Usage: bench/monitoring/run.sh [ENTERPRISES] [RUNS]
# Data: bench/monitoring/data/N/ (kept between runs; delete it to regenerate).
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-100000}"
RUNS="${2:-5}"
MONTH=2020-05
HERE=bench/monitoring
DIR="$HERE/data/$N"
VENV=bench/.venv
PY="$VENV/bin/python"
mkdir -p "$DIR"
[ -x "$PY" ] || python3 -m venv "$VENV"
"$PY" -c "import duckdb" 2>/dev/null || "$PY" -m pip install -q duckdb==2.0.1
cargo build -q -p wenjiu-store --example monitoring_bench
BENCH=target/debug/examples/monitoring_bench
DB="sqlite://$DIR/wenjiu.db"

if [ ! -s "$DIR/reports.csv" ]; then
  echo "== setup: $N enterprises × 36 months into wenjiu (registry import, load_reports) and CSV"
  rm -f "$DIR"/wenjiu.db* "$DIR/monitoring.duckdb"
  "$BENCH" gen --db "$DB" --out "$DIR" --enterprises "$N" --months 36 --month "$MONTH"
fi
if [ ! -s "$DIR/monitoring.duckdb" ]; then
  echo "== setup: DuckDB load"
  "$PY" "$HERE/duckdb_monitoring.py" load "$DIR"
fi

echo "== wenjiu"
"$BENCH" run --db "$DB" --out "$DIR" --month "$MONTH" --runs "$RUNS" 2>"$DIR/wenjiu.log" | tee "$DIR/wenjiu.json"
echo "== DuckDB"
"$PY" "$HERE/duckdb_monitoring.py" run "$DIR" --month "$MONTH" --runs "$RUNS" | tee "$DIR/duckdb.json"

python3 - "$DIR/wenjiu.json" "$DIR/duckdb.json" <<'PY'
import json, sys
w, d = (json.load(open(p)) for p in sys.argv[1:3])
same = all(w[k] == d[k] for k in ["findings", "reported", "headcount", "previous", "decrease", "cities", "trend_months"])
print("results:", "identical" if same else f"MISMATCH\n  wenjiu {w}\n  duckdb {d}")
run = w["run_s"] + w["summary_s"]
print(f"wenjiu run {w['run_s']:.3f} s + figures {w['summary_s']:.3f} s = {run:.3f} s "
      f"(first run, inserting the warnings: {w['first_run_s']:.3f} s)")
print(f"DuckDB {d['run_s']:.3f} s;  wenjiu / DuckDB = {run / d['run_s']:.2f}")
print(f"(rebuilding the month's kept sums from its reports: {w['rebuild_s']:.3f} s)")
sys.exit(0 if same else 1)
PY
