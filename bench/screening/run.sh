#!/usr/bin/env bash
# Screening (免申即享) end to end from the database: `wenjiu screen` over the registry of N
# people in SQLite — the frames read by SQL (with each person's open registrations at the
# date), the catalogue evaluated in batch, the limits applied, the results written — timed
# with GNU time. The registry is the bulletin benchmark's (bench/bulletin/gen.py + load.sh,
# shared in bench/bulletin/data/N): people with households and registrations, no enterprises
# (its enterprise_id is NULL), so the person frame is the whole of the work.
#
#   bench/screening/run.sh [N] [POSTGRES_URL]     # N defaults to 1,000,000
#
# With POSTGRES_URL (an existing database, e.g. postgres://root@127.0.0.1:5432/screening_1m)
# the same registry is screened on PostgreSQL: copied once from the SQLite file into the
# database (wenjiu's migrations, then each table's rows through COPY, then ANALYZE as
# autovacuum would after such a load).
#
# Uses the debug build (wenjiu's data-path crates are compiled at opt-level 2 there).
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-1000000}"
PG="${2:-}"
DIR="bench/bulletin/data/$N"
DB="$DIR/wenjiu.db"
KEY="$DIR/wenjiu.key"
W=target/debug/wenjiu
mkdir -p "$DIR"
if ! command -v sqlite3 >/dev/null || [ ! -x /usr/bin/time ]; then
  apt-get update >/dev/null && apt-get install -y sqlite3 time >/dev/null
fi
cargo build -p wenjiu-cli

echo "== machine"
echo "cpu:    $(nproc) × $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "memory: $(free -g | awk '/^Mem:/ {print $2}') GiB"

echo "== setup (not measured)"
[ -s "$DIR/unemployment.csv" ] || python3 bench/bulletin/gen.py --people "$N" --out "$DIR"
[ -s "$DB" ] || bench/bulletin/load.sh "$DIR"
# The screening schema (migration 5) on a database loaded by an older build.
"$W" migrate --db "sqlite://$DB" --key-file "$KEY" >/dev/null 2>&1
echo "people: $(sqlite3 "$DB" 'SELECT COUNT(*) FROM person')"
URL="sqlite://$DB"
B=""  # the backend in the names of the result files
if [ -n "$PG" ]; then
  URL="$PG"
  B=pg-
  if [ "$(psql "$PG" -tAc 'SELECT COUNT(*) FROM person' 2>/dev/null)" != "$N" ]; then
    "$W" migrate --db "$PG" --key-file "$KEY" >/dev/null 2>&1
    psql -q "$PG" -c "TRUNCATE household, person, employment, unemployment CASCADE"
    for t in household person employment unemployment; do
      cols=$(sqlite3 "$DB" "SELECT group_concat(name, ', ') FROM pragma_table_info('$t')")
      sqlite3 -csv -cmd ".nullvalue '\N'" "$DB" "SELECT $cols FROM $t" |
        psql -q "$PG" -c "\copy $t ($cols) FROM STDIN (FORMAT csv, NULL '\N')"
    done
    psql -q "$PG" -c "ANALYZE"
  fi
  echo "PostgreSQL: $(psql "$PG" -tAc 'SELECT COUNT(*) FROM person') people"
fi

run() {
  local name="$1"
  shift
  /usr/bin/time -v -o "$DIR/time-screen-$B$name.txt" "$W" screen --db "$URL" --key-file "$KEY" \
    --date 2020-12-31 "$@" >"$DIR/screen-$B$name.log" 2>&1 || { cat "$DIR/screen-$B$name.log"; exit 1; }
  local t c m
  t=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0;
        for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s }' "$DIR/time-screen-$B$name.txt")
  c=$(awk -F': ' '/(User|System) time \(seconds\)/ { s += $2 } END { printf "%.2f", s }' "$DIR/time-screen-$B$name.txt")
  m=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$DIR/time-screen-$B$name.txt")
  echo "$name: wall $t s, CPU $c s, peak RSS $m MiB, $(python3 -c "print(f'{$N / $t:,.0f}')") people/s"
  grep -E '^(政策筛查|总计)' "$DIR/screen-$B$name.log" || true
}

echo "== measured: wenjiu screen --date 2020-12-31"
run catalogue
run job-search --policy job-search
