#!/usr/bin/env bash
# Registry import: wenjiu (CSV → validated, encrypted, indexed, key groups derived, SQLite) against the
# limit, `sqlite3 .import` of the same file into a plain table with no validation; and against the floor
# for the registry's own rows (SQLite copying them, see below). Also peak memory at three file sizes, to
# show the import streams. Usage: bench/import/run.sh [PEOPLE]
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-1000000}"
OUT="${BENCH_OUT:-bench/out/import}"
mkdir -p "$OUT"
command -v sqlite3 >/dev/null || apt-get install -y sqlite3 >/dev/null
cargo build --release -p wenjiu-cli >/dev/null
W=target/release/wenjiu

secs() { python3 -c "import sys; print(f'{float(sys.argv[1]):.2f}')" "$1"; }
# Runs a command under GNU time; prints "seconds peak_kib" (its output, if it fails, to stderr: callers
# capture stdout).
timed() {
  /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$@" >"$OUT/last.log" 2>&1 || { cat "$OUT/last.log" >&2; exit 1; }
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

# The floor for these rows: SQLite alone copying what wenjiu wrote (ciphertexts, blind index, masked
# copies) into a freshly migrated database in one transaction — with every index in place, and into a
# table with no index whose four indexes are built after: what any writer of these rows pays that keeps
# the indexes up to date, and one that builds them at the end.
copy_rows() {
  rm -f "$OUT/floor.db"*
  $W migrate --db "sqlite://$OUT/floor.db" >/dev/null 2>&1
  # Indexed: foreign keys on, as on wenjiu's connections; that also keeps SQLite from copying the B-trees
  # whole (its transfer optimization), which would not insert row by row at all. Deferred: a table with no
  # key at all, which the other tables' foreign keys cannot refer to, so they stay off.
  local pre="PRAGMA foreign_keys=ON;" post=""
  if [ "$1" = deferred ]; then
    pre="DROP TABLE person; CREATE TABLE person AS SELECT * FROM src.person WHERE 0;"
    post="CREATE UNIQUE INDEX person_id_index ON person (id_index); CREATE INDEX person_region ON person (region);
          CREATE INDEX person_name ON person (name); CREATE INDEX person_household ON person (household_id);"
  fi
  timed sqlite3 "$OUT/floor.db" "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-262144;
    ATTACH '$OUT/wenjiu.db' AS src; INSERT INTO household SELECT * FROM src.household;
    $pre BEGIN; INSERT INTO person SELECT * FROM src.person; $post COMMIT;" | cut -d' ' -f1
}
t_indexed=$(copy_rows indexed)
t_deferred=$(copy_rows deferred)

ratio() { python3 -c "import sys; print(f'{float(sys.argv[1])/float(sys.argv[2]):.2f}')" "$1" "$2"; }
echo "sqlite3 .import (limit): $(secs "$t_plain") s"
echo "wenjiu import:           $(secs "$t_wenjiu") s  ($(python3 -c "print(round($N/$t_wenjiu))") rows/s)"
echo "ratio wenjiu / limit:    $(ratio "$t_wenjiu" "$t_plain")"
echo "floor, SQLite copying wenjiu's rows with every index:   $(secs "$t_indexed") s  ($(ratio "$t_indexed" "$t_plain") × limit)"
echo "floor, the same with the indexes built after the copy:  $(secs "$t_deferred") s  ($(ratio "$t_deferred" "$t_plain") × limit)"
echo "ratio wenjiu / indexed floor: $(ratio "$t_wenjiu" "$t_indexed")"
echo "peak memory (KiB) at $((N / 4)) / $((N / 2)) / $N rows: ${mem[$((N / 4))]} / ${mem[$((N / 2))]} / ${mem[$N]}"
