#!/usr/bin/env python3
"""The peer of the monthly-bulletin benchmark: the same indicators as wenjiu's
`indicators refresh`, each written as one SQL query in DuckDB over the same CSV files.

    python duckdb_bulletin.py load DIR                 # CSVs → DIR/bulletin.duckdb (setup)
    python duckdb_bulletin.py query DIR [--only headline|all] [--year 2020]

`query` opens DIR/bulletin.duckdb, times the query (`headline`: 城镇新就业,
urban_newly_employed, alone; `all`: the six computed indicators in one UNION ALL query), and
compares every (indicator, region, month) count with wenjiu's ledger in DIR/wenjiu.db
(current values of the year's months), printing OK or MISMATCH (exit status 1).

Definitions, as in crates/wenjiu-store/src/indicators/compute.rs:
- urban_newly_employed: urban employment registrations starting in the year with no other
  registration of the person covering the day before (start before, end NULL or ≥ day
  before), numbered per person by start date; the first counts, by its region and month.
- difficulty_employed: the same people, those who were 就业困难人员 on the day before the job
  (crates/wenjiu-store/src/indicators/difficulty.rs): an unemployment registration open that
  day and at least one of wenjiu's default difficulty categories (default_difficulty_categories,
  all enabled in the bench database) that day — woman ≥ 40 / man ≥ 50 in completed years; a
  declared attribute (disabled, dibao, land_lost, single_parent in person.attributes); 12 whole
  months registered unemployed (whole_months_reached, month ends clamped); member of a
  zero-employment household that day (the rule below). Not the person's current `difficulty`.
- reemployed: unemployment registrations ended 'employed' in the year, first per person,
  by registration region and month of ending.
- registered_unemployed: distinct people with an unemployment registration open at the
  month's end, by registration region (the registry lets no job span the day of one).
- zero_employment_households: wenjiu's rule (is_zero_employment_household): households with a
  member of urban hukou, a member of working age registered unemployed at the month's end and
  no member employed on that day (a job ends on its end date), by household region. Working
  age: 16 to 60 (men) or 55 (women) in completed months of age; the 2025 increase moves no one
  before 2025.
- zero_employment_placed: households with a member starting a job in the month (after the
  previous month's end, up to this one's) that were zero-employment households on the day
  before that start; once per household and month.
Dates are DATE here (TEXT 'YYYY-MM-DD' in SQLite); DuckDB runs with its default threads
(one per core) and no extensions.
"""

import argparse
import os
import sqlite3
import sys
import time

import duckdb

SCHEMA = {
    "household": {"id": "BIGINT", "household_no": "VARCHAR", "region": "VARCHAR"},
    "person": {"id": "BIGINT", "name": "VARCHAR", "sex": "VARCHAR", "birth_date": "DATE",
               "hukou": "VARCHAR", "region": "VARCHAR", "household_id": "BIGINT",
               "education": "VARCHAR", "difficulty": "VARCHAR", "status": "VARCHAR"},
    "employment": {"person_id": "BIGINT", "kind": "VARCHAR", "start_date": "DATE",
                   "end_date": "DATE", "area": "VARCHAR", "region": "VARCHAR"},
    "unemployment": {"person_id": "BIGINT", "registered_on": "DATE", "region": "VARCHAR",
                     "reason": "VARCHAR", "ended_on": "DATE", "end_reason": "VARCHAR"},
}


# The difficulty categories recognised by a declared attribute (person.attributes, codes
# separated by spaces), of wenjiu's defaults (default_difficulty_categories).
DECLARED = ("disabled", "dibao", "land_lost", "single_parent")
DECLARED_SQL = ", ".join(f"'{a}'" for a in DECLARED)


def months(year):
    return (f"SELECT strftime(d, '%Y-%m') AS month, "
            f"CAST(d + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE) AS last_day, "
            f"CAST(d - INTERVAL 1 DAY AS DATE) AS prev_day "
            f"FROM (SELECT CAST(range AS DATE) AS d FROM range(DATE '{year}-01-01', "
            f"DATE '{year + 1}-01-01', INTERVAL 1 MONTH))")


def new_jobs(year):
    return f"""
    SELECT e.region, strftime(e.start_date, '%Y-%m') AS month, e.person_id, e.start_date,
           ROW_NUMBER() OVER (PARTITION BY e.person_id ORDER BY e.start_date) AS nth
    FROM employment e
    WHERE e.area = 'urban' AND e.start_date BETWEEN DATE '{year}-01-01' AND DATE '{year}-12-31'
      AND NOT EXISTS (SELECT 1 FROM employment p WHERE p.person_id = e.person_id
            AND p.start_date < e.start_date
            AND (p.end_date IS NULL OR p.end_date >= e.start_date - 1))"""


def flow(code, inner):
    return (f"SELECT '{code}' AS indicator, region, month, COUNT(*) AS n "
            f"FROM ({inner}) t WHERE nth = 1 GROUP BY region, month")


def months_of_age(birth, day):
    return (f"((year({day}) - year({birth})) * 12 + month({day}) - month({birth}) "
            f"- CASE WHEN day({day}) < day({birth}) THEN 1 ELSE 0 END)")


def open_unemployment(alias, day):
    return f"{alias}.registered_on <= {day} AND ({alias}.ended_on IS NULL OR {alias}.ended_on > {day})"


def zero_household_on(h, day):
    """wenjiu's rule for household `h` on `day`; its own aliases are r, w, v, q, e."""
    age = months_of_age("w.birth_date", day)
    return f"""EXISTS (SELECT 1 FROM person r WHERE r.household_id = {h} AND r.hukou = 'urban')
      AND EXISTS (SELECT 1 FROM person w JOIN unemployment v ON v.person_id = w.id
          WHERE w.household_id = {h} AND {open_unemployment('v', day)} AND {age} >= 192
          AND {age} < CASE WHEN w.sex = 'M' THEN 720 ELSE 660 END)
      AND NOT EXISTS (SELECT 1 FROM person q JOIN employment e ON e.person_id = q.id
          WHERE q.household_id = {h} AND e.start_date <= {day}
          AND (e.end_date IS NULL OR e.end_date > {day}))"""


def zero_households(day):
    age = months_of_age("p.birth_date", day)
    return f"""
    JOIN unemployment u ON {open_unemployment('u', day)}
    JOIN person p ON p.id = u.person_id AND {age} >= 192
        AND {age} < CASE WHEN p.sex = 'M' THEN 720 ELSE 660 END
    JOIN household h ON h.id = p.household_id
    WHERE EXISTS (SELECT 1 FROM person r WHERE r.household_id = h.id AND r.hukou = 'urban')
      AND NOT EXISTS (SELECT 1 FROM person q JOIN employment e ON e.person_id = q.id
          WHERE q.household_id = h.id AND e.start_date <= {day}
          AND (e.end_date IS NULL OR e.end_date > {day}))"""


def whole_months(since, day):
    """Whole calendar months from `since` to `day`, the due day clamped to a month's end."""
    return (f"((year({day}) - year({since})) * 12 + month({day}) - month({since}) "
            f"- CASE WHEN day({day}) < least(day({since}), day(last_day({day}))) THEN 1 ELSE 0 END)")


def difficult_on(day):
    """Person `p` was 就业困难人员 on `day` (registered unemployed, an enabled default category)."""
    declared = " OR ".join(f"contains(' ' || p.attributes || ' ', ' {a} ')"
                           for a in DECLARED)
    return f"""EXISTS (SELECT 1 FROM unemployment u WHERE u.person_id = p.id
          AND {open_unemployment('u', day)})
      AND ({months_of_age('p.birth_date', day)} >= CASE WHEN p.sex = 'M' THEN 600 ELSE 480 END
        OR {declared}
        OR EXISTS (SELECT 1 FROM unemployment l WHERE l.person_id = p.id
            AND {open_unemployment('l', day)} AND {whole_months('l.registered_on', day)} >= 12)
        OR (EXISTS (SELECT 1 FROM household z WHERE z.id = p.household_id)
            AND {zero_household_on('p.household_id', day)}))"""


def headline(year):
    return flow("urban_newly_employed", new_jobs(year))


def all_six(year):
    parts = [
        headline(year),
        flow("difficulty_employed", f"""
            SELECT t.region, t.month, t.nth FROM ({new_jobs(year)}) t
            JOIN person p ON p.id = t.person_id
            WHERE t.nth = 1 AND {difficult_on('(t.start_date - 1)')}"""),
        flow("reemployed", f"""
            SELECT u.region, strftime(u.ended_on, '%Y-%m') AS month,
                   ROW_NUMBER() OVER (PARTITION BY u.person_id ORDER BY u.ended_on) AS nth
            FROM unemployment u WHERE u.end_reason = 'employed'
              AND u.ended_on BETWEEN DATE '{year}-01-01' AND DATE '{year}-12-31'"""),
        f"""SELECT 'registered_unemployed', u.region, m.month, COUNT(DISTINCT u.person_id)
            FROM ({months(year)}) m JOIN unemployment u
              ON u.registered_on <= m.last_day AND (u.ended_on IS NULL OR u.ended_on > m.last_day)
            GROUP BY m.month, u.region""",
        f"""SELECT 'zero_employment_households', h.region, m.month, COUNT(DISTINCT h.id)
            FROM ({months(year)}) m {zero_households('m.last_day')}
            GROUP BY m.month, h.region""",
        f"""SELECT 'zero_employment_placed', h.region, m.month, COUNT(DISTINCT h.id)
            FROM ({months(year)}) m
            JOIN employment j ON j.start_date > m.prev_day AND j.start_date <= m.last_day
            JOIN person s ON s.id = j.person_id JOIN household h ON h.id = s.household_id
            WHERE {zero_household_on('h.id', '(j.start_date - 1)')}
            GROUP BY m.month, h.region""",
    ]
    return "\nUNION ALL\n".join(f"({p})" for p in parts)


def load(folder):
    path = os.path.join(folder, "bulletin.duckdb")
    for f in (path, path + ".wal"):
        if os.path.exists(f):
            os.remove(f)
    con = duckdb.connect(path)
    t = time.perf_counter()
    for table, cols in SCHEMA.items():
        spec = "{" + ", ".join(f"'{c}': '{t}'" for c, t in cols.items()) + "}"
        csv = os.path.join(folder, f"{table}.csv")
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv('{csv}', header = true, "
                    f"columns = {spec}, auto_detect = false)")
    # As in wenjiu's load (load.sh): a person without a difficulty category has '' (NOT NULL
    # there), and a declared category (disabled, dibao, land_lost, single_parent) is also the
    # person's declared attribute, the fact the indicators read.
    con.execute("UPDATE person SET difficulty = '' WHERE difficulty IS NULL")
    con.execute("ALTER TABLE person ADD COLUMN attributes VARCHAR DEFAULT ''")
    con.execute(f"UPDATE person SET attributes = CASE WHEN difficulty IN ({DECLARED_SQL}) "
                "THEN difficulty ELSE '' END")
    con.execute("CHECKPOINT")
    counts = {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in SCHEMA}
    con.close()
    print(f"{path}: " + ", ".join(f"{n} {t}" for t, n in counts.items())
          + f" rows loaded in {time.perf_counter() - t:.1f} s, {os.path.getsize(path) >> 20} MB")


def ledger(folder, codes, year):
    con = sqlite3.connect(f"file:{os.path.join(folder, 'wenjiu.db')}?mode=ro", uri=True)
    marks = ", ".join("?" * len(codes))
    rows = con.execute(
        f"SELECT indicator, region, month, value FROM ledger WHERE current = 1 "
        f"AND indicator IN ({marks}) AND month >= ? AND month <= ?",
        (*codes, f"{year}-01", f"{year}-12")).fetchall()
    con.close()
    return {(i, r, m): int(v) for i, r, m, v in rows}


def query(folder, which, year):
    con = duckdb.connect(os.path.join(folder, "bulletin.duckdb"), read_only=True)
    sql = headline(year) if which == "headline" else all_six(year)
    t, c = time.perf_counter(), time.process_time()
    rows = con.execute(sql).fetchall()
    dt, dc = time.perf_counter() - t, time.process_time() - c
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    con.close()
    got = {(i, r, m): n for i, r, m, n in rows}
    codes = sorted({i for i, _, _ in got} | ({"urban_newly_employed"} if which == "headline" else {
        "urban_newly_employed", "difficulty_employed", "reemployed", "registered_unemployed",
        "zero_employment_households", "zero_employment_placed"}))
    want = ledger(folder, codes, year)
    print(f"duckdb {duckdb.__version__} ({threads} threads), query '{which}' for {year}: {dt:.2f} s "
          f"(CPU {dc:.2f} s, all threads), "
          f"{len(rows)} (indicator, region, month) counts")
    ok = True
    for code in codes:
        g = {k: v for k, v in got.items() if k[0] == code}
        w = {k: v for k, v in want.items() if k[0] == code}
        same = g == w
        ok &= same
        diff = "" if same else f" ({len(set(g.items()) ^ set(w.items()))} differ)"
        print(f"  {code:28} {len(g):5} region-months, {sum(g.values()):>10,} in all; "
              f"wenjiu ledger {len(w):5}, {sum(w.values()):>10,}: {'OK' if same else 'MISMATCH'}{diff}")
    print(f"query seconds: {dt:.3f} cpu {dc:.3f}")
    return ok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("action", choices=["load", "query", "sql"])
    ap.add_argument("dir")
    ap.add_argument("--only", choices=["headline", "all"], default="headline")
    ap.add_argument("--year", type=int, default=2020)
    a = ap.parse_args()
    if a.action == "load":
        load(a.dir)
    elif a.action == "sql":
        print(headline(a.year) if a.only == "headline" else all_six(a.year))
    else:
        sys.exit(0 if query(a.dir, a.only, a.year) else 1)


if __name__ == "__main__":
    main()
