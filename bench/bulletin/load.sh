#!/usr/bin/env bash
# Monthly-bulletin benchmark, setup: a fresh wenjiu SQLite database (`wenjiu migrate`: wenjiu's
# own schema, code tables and indicator catalogue) bulk-loaded from gen.py's CSV files with the
# sqlite3 shell: `.import` into TEMP staging tables, then one `INSERT … SELECT` per table into
# wenjiu's real tables. Not measured as part of the benchmark (run.sh reports its time).
#
# The personal-data columns that wenjiu encrypts or indexes blindly (id_index, id_cipher,
# id_masked; phone_cipher, phone_masked for 9 people in 10) get unique placeholder text of the
# real values' lengths (64 hex digits for the blind index, key id + 92 hex digits for an
# SM4-GCM ID ciphertext), so rows and pages are the size of a real registry's: the indicators
# never read these columns.
# enterprise_id is NULL (no enterprises: the indicators never read them either).
# Sex is stored as wenjiu's codes (male, female), as screening reads it.
# gen.py's difficulty category goes into difficulty (and key_groups) as drawn; when it is one
# declared by the person (disabled, dibao, land_lost, single_parent: a category recognised by
# an attribute) it is also the person's attributes, the fact the indicators judge by on the
# day before a job (就业困难人员就业); the other categories (older, long_term_unemployed,
# zero_household) follow from age and registrations. duckdb_bulletin.py loads the same.
# Rows go in as a registry fills up: people in id order, registrations in the order they
# were registered (start_date / registered_on). Secondary indexes are dropped for the load
# and recreated with wenjiu's own DDL; no ANALYZE (wenjiu never runs it).
#
# Usage: bench/bulletin/load.sh DIR   (DIR holds the CSVs; writes DIR/wenjiu.db and DIR/wenjiu.key)
set -euo pipefail
cd "$(dirname "$0")/../.."
DIR="${1:?usage: load.sh DATA_DIR}"
DB="$DIR/wenjiu.db"
KEY="$DIR/wenjiu.key"
W=target/debug/wenjiu
[ -x "$W" ] || cargo build -p wenjiu-cli
command -v sqlite3 >/dev/null || { apt-get update >/dev/null && apt-get install -y sqlite3 >/dev/null; }
for f in household person employment unemployment; do
  [ -s "$DIR/$f.csv" ] || { echo "missing $DIR/$f.csv (run gen.py)"; exit 1; }
done

rm -f "$DB" "$DB-wal" "$DB-shm" "$KEY"
"$W" migrate --db "sqlite://$DB" --key-file "$KEY" >/dev/null 2>"$DIR/migrate.log" || { cat "$DIR/migrate.log"; exit 1; }
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null

# wenjiu's secondary indexes on the four tables, to recreate after the load.
INDEXES=$(sqlite3 "$DB" "SELECT sql || ';' FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
  AND tbl_name IN ('household', 'person', 'employment', 'unemployment')")
DROPS=$(sqlite3 "$DB" "SELECT 'DROP INDEX ' || name || ';' FROM sqlite_master WHERE type = 'index'
  AND sql IS NOT NULL AND tbl_name IN ('household', 'person', 'employment', 'unemployment')")
AT="2021-01-05T08:00:00.000Z"

sqlite3 "$DB" >/dev/null <<SQL
.bail on
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -2000000;
PRAGMA temp_store = FILE;
CREATE TEMP TABLE s_household (id TEXT, household_no TEXT, region TEXT);
CREATE TEMP TABLE s_person (id TEXT, name TEXT, sex TEXT, birth_date TEXT, hukou TEXT, region TEXT,
  household_id TEXT, education TEXT, difficulty TEXT, status TEXT);
CREATE TEMP TABLE s_employment (person_id TEXT, kind TEXT, start_date TEXT, end_date TEXT, area TEXT,
  region TEXT);
CREATE TEMP TABLE s_unemployment (person_id TEXT, registered_on TEXT, region TEXT, reason TEXT,
  ended_on TEXT, end_reason TEXT);
.import --csv --skip 1 $DIR/household.csv s_household
.import --csv --skip 1 $DIR/person.csv s_person
.import --csv --skip 1 $DIR/employment.csv s_employment
.import --csv --skip 1 $DIR/unemployment.csv s_unemployment
$DROPS
BEGIN;
INSERT INTO household (id, household_no, region, zero_employment, updated_at)
  SELECT CAST(id AS INTEGER), household_no, region, 0, '$AT' FROM s_household ORDER BY CAST(id AS INTEGER);
INSERT INTO person (id, name, id_index, id_cipher, id_masked, sex, birth_date, phone_cipher,
    phone_masked, education, hukou, region, household_id, veteran, attributes, status, key_groups,
    difficulty, created_at, updated_at)
  SELECT CAST(id AS INTEGER), name, printf('%064d', CAST(id AS INTEGER)),
    printf('bench\$%092d', CAST(id AS INTEGER)), region || '********' || printf('%04d', CAST(id AS INTEGER) % 10000),
    CASE sex WHEN 'F' THEN 'female' WHEN 'M' THEN 'male' ELSE sex END, birth_date,
    CASE WHEN CAST(id AS INTEGER) % 10 <> 0 THEN printf('bench\$%078d', CAST(id AS INTEGER)) END,
    CASE WHEN CAST(id AS INTEGER) % 10 <> 0 THEN printf('138****%04d', CAST(id AS INTEGER) % 10000) END,
    education, hukou, region, CAST(household_id AS INTEGER), 0,
    CASE WHEN difficulty IN ('disabled', 'dibao', 'land_lost', 'single_parent') THEN difficulty ELSE '' END, status,
    CASE WHEN difficulty <> '' THEN ' difficulty ' ELSE ' ' END, difficulty, '$AT', '$AT'
  FROM s_person ORDER BY CAST(id AS INTEGER);
INSERT INTO employment (person_id, kind, enterprise_id, start_date, end_date, area, region, created_at, updated_at)
  SELECT CAST(person_id AS INTEGER), kind, NULL, start_date, NULLIF(end_date, ''), area, region,
    start_date || 'T01:00:00.000Z', '$AT'
  FROM s_employment ORDER BY start_date, CAST(person_id AS INTEGER);
INSERT INTO unemployment (person_id, registered_on, region, reason, ended_on, end_reason, created_at, updated_at)
  SELECT CAST(person_id AS INTEGER), registered_on, region, reason, NULLIF(ended_on, ''),
    NULLIF(end_reason, ''), registered_on || 'T01:00:00.000Z', '$AT'
  FROM s_unemployment ORDER BY registered_on, CAST(person_id AS INTEGER);
COMMIT;
$INDEXES
PRAGMA journal_mode = WAL;
SQL

# Every registration's person and every person's household exist.
bad=$(sqlite3 "$DB" "PRAGMA foreign_key_check" | wc -l)
[ "$bad" = 0 ] || { echo "foreign key check: $bad violations"; exit 1; }
echo "$DB: $(sqlite3 "$DB" "SELECT (SELECT COUNT(*) FROM person) || ' person, ' ||
  (SELECT COUNT(*) FROM household) || ' household, ' || (SELECT COUNT(*) FROM employment) ||
  ' employment, ' || (SELECT COUNT(*) FROM unemployment) || ' unemployment rows'"), $(du -m "$DB" | cut -f1) MB"
