#!/usr/bin/env bash
# Registry import: wenjiu (CSV → validated, encrypted, indexed, key groups derived, SQLite) against the
# limit, `sqlite3 .import` of the same file into a plain table with no validation. Also peak memory at
# three file sizes, to show the import streams. Usage: bench/import/run.sh [PEOPLE]
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-1000000}"
OUT="${BENCH_OUT:-bench/out/import}"
mkdir -p "$OUT"
command -v sqlite3 >/dev/null || apt-get install -y sqlite3 >/dev/null
cargo build --release -p wenjiu-cli >/dev/null
W=target/release/wenjiu

secs() { python3 -c "import sys; print(f'{float(sys.argv[1]):.2f}')" "$1"; }
# Runs a command under GNU time; prints "seconds peak_kib".
timed() {
  /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$@" >"$OUT/last.log" 2>&1 || { cat "$OUT/last.log"; exit 1; }
  cat "$OUT/time.txt"
}

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(free -g | awk '/Mem:/{print $2}') GiB"
echo "versions: $($W --version), sqlite3 $(sqlite3 --version | cut -d' ' -f1)"

for n in $((N / 4)) $((N / 2)) "$N"; do
  f="$OUT/people-$n.csv"
  [ -s "$f" ] || $W gen person --people "$n" --out "$f" >/dev/null
done
f="$OUT/people-$N.csv"
echo "data: $N people, $(du -m "$f" | cut -f1) MB CSV"

# The limit: the same file into a plain table, no checks at all.
rm -f "$OUT/plain.db"
sqlite3 "$OUT/plain.db" "CREATE TABLE person (name TEXT, id_no TEXT, phone TEXT, education TEXT, hukou TEXT, region TEXT, household_no TEXT, graduation_year TEXT, veteran TEXT, attributes TEXT);"
read -r t_plain _ < <(timed sqlite3 "$OUT/plain.db" ".import --csv --skip 1 $f person")

declare -A mem
for n in $((N / 4)) $((N / 2)) "$N"; do
  rm -f "$OUT/wenjiu.db"* "$OUT/wenjiu.key"
  read -r t m < <(timed $W import --db "sqlite://$OUT/wenjiu.db" person "$OUT/people-$n.csv")
  mem[$n]=$m
  [ "$n" = "$N" ] && t_wenjiu=$t
done
rows=$(sqlite3 "$OUT/wenjiu.db" "SELECT COUNT(*) FROM person")
[ "$rows" = "$N" ] || { echo "wenjiu imported $rows of $N rows"; exit 1; }

ratio=$(python3 -c "import sys; print(f'{float(sys.argv[1])/float(sys.argv[2]):.2f}')" "$t_wenjiu" "$t_plain")
echo "sqlite3 .import (limit): $(secs "$t_plain") s"
echo "wenjiu import:           $(secs "$t_wenjiu") s  ($(python3 -c "print(round($N/$t_wenjiu))") rows/s)"
echo "ratio wenjiu / limit:    $ratio"
echo "peak memory (KiB) at $((N / 4)) / $((N / 2)) / $N rows: ${mem[$((N / 4))]} / ${mem[$((N / 2))]} / ${mem[$N]}"
