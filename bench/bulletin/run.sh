#!/usr/bin/env bash
# Monthly bulletin over a registry of N people (default 10,000,000): wenjiu's
# `indicators refresh --year 2020` (the six computed indicators, per county and month, into
# the ledger) and `bulletin --no-refresh`, against the same aggregations written as one SQL
# query in DuckDB over the same data; also wenjiu's SQLite queries one by one outside wenjiu.
#
# Usage: bench/bulletin/run.sh [PEOPLE]
# Data, databases and logs: bench/bulletin/data/PEOPLE/ (kept between runs: gen and load run
# only when their output is missing; delete the folder to start over).
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-10000000}"
HERE=bench/bulletin
DIR="$HERE/data/$N"
DB="$DIR/wenjiu.db"
KEY="$DIR/wenjiu.key"
W=target/debug/wenjiu
VENV=bench/.venv
PY="$VENV/bin/python"
YEAR=2020
MONTH="${BULLETIN_MONTH:-2020-05}"
mkdir -p "$DIR"

# Prerequisites: the sqlite3 shell and GNU time (Debian packages), a venv with DuckDB and
# apsw (the SQLite version wenjiu bundles, to time its queries outside it), the debug build.
if ! command -v sqlite3 >/dev/null || [ ! -x /usr/bin/time ]; then
  apt-get update >/dev/null && apt-get install -y sqlite3 time >/dev/null
fi
[ -x "$PY" ] || python3 -m venv "$VENV"
"$PY" -c "import duckdb, apsw" 2>/dev/null || "$PY" -m pip install -q duckdb==2.0.1 apsw==3.51.3.0
[ -x "$W" ] || cargo build -p wenjiu-cli

# Runs a command under GNU time -v (report in $DIR/time-NAME.txt, output in $DIR/NAME.log);
# sets T (wall seconds), C (CPU seconds, user + system) and M (peak RSS, MiB).
timed() {
  local name="$1"
  shift
  /usr/bin/time -v -o "$DIR/time-$name.txt" "$@" >"$DIR/$name.log" 2>&1 || {
    cat "$DIR/$name.log"
    exit 1
  }
  T=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0;
        for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s }' "$DIR/time-$name.txt")
  C=$(awk -F': ' '/(User|System) time \(seconds\)/ { s += $2 } END { printf "%.2f", s }' "$DIR/time-$name.txt")
  M=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$DIR/time-$name.txt")
}
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.1f}')" "$1" "$2"; }

echo "== setup (not measured)"
if [ ! -s "$DIR/unemployment.csv" ]; then
  timed gen python3 "$HERE/gen.py" --people "$N" --out "$DIR"
  echo "gen.py: $T s  ($(tail -1 "$DIR/gen.log"))"
fi
if [ ! -s "$DB" ]; then
  timed load "$HERE/load.sh" "$DIR"
  echo "load.sh (sqlite3 .import + INSERT … SELECT + indexes): $T s, peak RSS $M MiB"
fi
if [ ! -s "$DIR/bulletin.duckdb" ]; then
  timed duckdb-load "$PY" "$HERE/duckdb_bulletin.py" load "$DIR"
  echo "DuckDB load (read_csv → table): $T s, peak RSS $M MiB"
fi
# The ledger is recounted from empty each run; last year's months are counted once, so that
# the bulletin has its year-ago figures.
sqlite3 "$DB" "DELETE FROM ledger WHERE month LIKE '$YEAR-%';"
if [ "$(sqlite3 "$DB" "SELECT COUNT(*) FROM ledger WHERE month LIKE '$((YEAR - 1))-%'")" = 0 ]; then
  timed refresh-prev "$W" indicators refresh --year $((YEAR - 1)) --as-of "$YEAR-12-31" --db "sqlite://$DB" --key-file "$KEY"
  echo "wenjiu indicators refresh --year $((YEAR - 1)) (for year-ago figures): $T s, peak RSS $M MiB"
fi

echo
echo "== machine and data"
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(free -g | awk '/Mem:/{print $2}') GiB RAM; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "versions: $($W --version) (debug build, data-path crates at opt-level 2; bundled SQLite $(strings "$W" | grep -m1 -E '^3\.[0-9]+\.[0-9]+$')), sqlite3 shell $(sqlite3 --version | cut -d' ' -f1), $("$PY" -c 'import duckdb, apsw, platform; print(f"DuckDB {duckdb.__version__}, apsw {apsw.apsw_version()}, Python {platform.python_version()}")')"
echo "data: $(sqlite3 "$DB" "SELECT (SELECT COUNT(*) FROM person) || ' people, ' || (SELECT COUNT(*) FROM household) || ' households, ' ||
  (SELECT COUNT(*) FROM employment) || ' employment and ' || (SELECT COUNT(*) FROM unemployment) || ' unemployment registrations'")"
echo "sizes: CSV $(cat "$DIR"/*.csv | wc -c | awk '{printf "%.0f", $1 / 1048576}') MB, wenjiu SQLite $(du -m "$DB" | cut -f1) MB, DuckDB $(du -m "$DIR/bulletin.duckdb" | cut -f1) MB"

echo
echo "== wenjiu"
timed refresh "$W" indicators refresh --year $YEAR --as-of "$YEAR-12-31" --db "sqlite://$DB" --key-file "$KEY"
t_refresh=$T c_refresh=$C m_refresh=$M
echo "indicators refresh --year $YEAR: $T s (CPU $C s), peak RSS $M MiB  ($(tail -1 "$DIR/refresh.log"))"
timed bulletin "$W" bulletin --region 210000 --month "$MONTH" --no-refresh --as-of "$YEAR-12-31" --db "sqlite://$DB" --key-file "$KEY"
t_bulletin=$T c_bulletin=$C m_bulletin=$M
echo "bulletin --region 210000 --month $MONTH --no-refresh: $T s (CPU $C s), peak RSS $M MiB"
echo "  $(cat "$DIR/bulletin.log")"

echo
echo "== SQLite alone: wenjiu's six queries one by one, its connection settings, outside wenjiu"
timed sqlite-queries "$PY" "$HERE/sqlite_queries.py" "$DB" --year $YEAR --check
m_queries=$M
sed 's/^/  /' "$DIR/sqlite-queries.log"
read -r t_head_sqlite c_head_sqlite < <(awk '$1 == "urban_newly_employed" { print $2, $5 }' "$DIR/sqlite-queries.log")
read -r t_six_sqlite c_six_sqlite < <(awk '$1 == "total" { print $2, $5 }' "$DIR/sqlite-queries.log")
"$PY" "$HERE/sqlite_queries.py" "$DB" --year $YEAR --shell urban_newly_employed >"$DIR/headline.sql"
timed sqlite3-shell sqlite3 "$DB" ".read $DIR/headline.sql"
read -r t_head_shell c_head_shell < <(sed -n 's/^Run Time: real \([0-9.]*\) user \([0-9.]*\) sys \([0-9.]*\).*/\1 \2 \3/p' "$DIR/sqlite3-shell.log" | awk '{ printf "%s %.2f\n", $1, $2 + $3 }')
echo "  urban_newly_employed in the sqlite3 $(sqlite3 --version | cut -d' ' -f1) shell (.timer): $t_head_shell s (CPU $c_head_shell s), peak RSS $M MiB"

echo
echo "== DuckDB: the same aggregations as one SQL query each, checked against wenjiu's ledger"
timed duckdb-headline "$PY" "$HERE/duckdb_bulletin.py" query "$DIR" --only headline --year $YEAR
read -r t_head_duck c_head_duck < <(awk '/^query seconds:/ { print $3, $5 }' "$DIR/duckdb-headline.log")
p_head_duck=$T m_head_duck=$M
grep -v '^query seconds' "$DIR/duckdb-headline.log" | sed 's/^/  /'
echo "  process: $T s (CPU $C s), peak RSS $M MiB"
timed duckdb-all "$PY" "$HERE/duckdb_bulletin.py" query "$DIR" --only all --year $YEAR
read -r t_all_duck c_all_duck < <(awk '/^query seconds:/ { print $3, $5 }' "$DIR/duckdb-all.log")
p_all_duck=$T m_all_duck=$M
grep -v '^query seconds' "$DIR/duckdb-all.log" | sed 's/^/  /'
echo "  process: $T s (CPU $C s), peak RSS $M MiB"

echo
echo "== summary ($N people; load average after: $(cut -d' ' -f1-3 /proc/loadavg))"
row() { printf '%-56s %9s %9s %9s\n' "$@"; }
row "" "wall s" "CPU s" "peak MiB"
row "wenjiu indicators refresh (6 queries + ledger writes)" "$t_refresh" "$c_refresh" "$m_refresh"
row "wenjiu bulletin --no-refresh" "$t_bulletin" "$c_bulletin" "$m_bulletin"
row "SQLite $(sqlite_v=$("$PY" -c 'import apsw; print(apsw.sqlite_lib_version())'); echo "$sqlite_v"), wenjiu's 6 queries one by one (apsw)" "$t_six_sqlite" "$c_six_sqlite" "$m_queries*"
row "SQLite, urban_newly_employed alone (apsw)" "$t_head_sqlite" "$c_head_sqlite" ""
row "SQLite $(sqlite3 --version | cut -d' ' -f1) shell, urban_newly_employed alone" "$t_head_shell" "$c_head_shell" ""
row "DuckDB, the 6 indicators in one query (process: $p_all_duck s)" "$t_all_duck" "$c_all_duck" "$m_all_duck"
row "DuckDB, urban_newly_employed alone (process: $p_head_duck s)" "$t_head_duck" "$c_head_duck" "$m_head_duck"
echo "(* the apsw process runs all six queries: its peak is that of the largest)"
echo "ratios (wall, CPU):"
echo "  wenjiu refresh / DuckDB six-indicator query:      $(ratio "$t_refresh" "$t_all_duck")×, $(ratio "$c_refresh" "$c_all_duck")×"
echo "  SQLite six queries / DuckDB six-indicator query:  $(ratio "$t_six_sqlite" "$t_all_duck")×, $(ratio "$c_six_sqlite" "$c_all_duck")×"
echo "  SQLite / DuckDB, urban_newly_employed alone:      $(ratio "$t_head_sqlite" "$t_head_duck")×, $(ratio "$c_head_sqlite" "$c_head_duck")×"
if grep -q MISMATCH "$DIR"/duckdb-*.log "$DIR/sqlite-queries.log"; then
  echo "MISMATCH against the ledger"
  exit 1
fi
echo "all counts equal wenjiu's ledger: OK"
