#!/usr/bin/env python3
"""wenjiu's six indicators as SQL queries for SQLite, run one by one on the bench database with
wenjiu's connection settings, to time each query alone. 城镇新就业 and 失业人员再就业 are text for
text as `Store::compute` in crates/wenjiu-store/src/indicators/compute.rs builds them (keep the
two in step); the other four wenjiu decides in memory from fewer, simpler reads
(difficulty.rs, registered.rs, households.rs), and here they are each one set-based query
with the same definitions (see duckdb_bulletin.py's list, the same in both peers).

    python sqlite_queries.py DB [--year 2020] [--only CODE] [--plan] [--check]
    python sqlite_queries.py DB --shell CODE     # a sqlite3-shell script of that query

Runs on apsw when installed (its SQLite is the version wenjiu bundles, 3.51.3), else on
Python's sqlite3 module. --check compares each result with the ledger's current values,
--plan prints EXPLAIN QUERY PLAN.
"""

import argparse
import calendar
import resource
import sys
import time

try:
    import apsw

    ENGINE = f"apsw {apsw.apsw_version()}, SQLite {apsw.sqlite_lib_version()}"
except ImportError:  # pragma: no cover
    apsw = None
    import sqlite3

    ENGINE = f"python sqlite3, SQLite {sqlite3.sqlite_version}"

# wenjiu's per-connection settings (crates/wenjiu-store/src/db.rs); only cache_size and
# temp_store matter to a read-only query.
PRAGMAS = ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
           "PRAGMA busy_timeout=10000; PRAGMA cache_size=-262144; PRAGMA wal_autocheckpoint=10000; "
           "PRAGMA temp_store=MEMORY;")


def new_jobs():
    return ("SELECT e.region, SUBSTR(e.start_date, 1, 7) AS month, e.person_id, e.start_date, "
            "ROW_NUMBER() OVER (PARTITION BY e.person_id ORDER BY e.start_date) AS nth "
            "FROM employment e "
            "WHERE e.area = 'urban' AND e.start_date >= $1 AND e.start_date <= $2 "
            "AND NOT EXISTS (SELECT 1 FROM employment p WHERE p.person_id = e.person_id "
            "AND p.start_date < e.start_date "
            "AND (p.end_date IS NULL OR p.end_date >= date(e.start_date, '-1 day')))")


def flow(year, inner):
    sql = f"SELECT region, month, COUNT(*) AS n FROM ({inner}) t WHERE nth = 1 GROUP BY region, month"
    return sql, [f"{year:04}-01-01", f"{year:04}-12-31"]


def last_day(y, m):
    return f"{y:04}-{m:02}-{calendar.monthrange(y, m)[1]:02}"


def per_month(months, region, frm, count):
    parts, args = [], []
    for y, m in months:
        py, pm = (y, m - 1) if m > 1 else (y - 1, 12)
        n = len(args)
        parts.append(f"SELECT ${n + 1} AS month, ${n + 2} AS last_day, ${n + 3} AS prev_day")
        args += [f"{y:04}-{m:02}", last_day(y, m), last_day(py, pm)]
    sql = (f"SELECT m.month AS month, {region} AS region, {count} AS n FROM "
           f"({' UNION ALL '.join(parts)}) m {frm} GROUP BY m.month, {region}")
    return sql, args


def day_before(expr):
    return f"date({expr}, '-1 day')"


def open_unemployment(alias, day):
    return f"{alias}.registered_on <= {day} AND ({alias}.ended_on IS NULL OR {alias}.ended_on > {day})"


def months_of_age(birth, day):
    """Completed months of age, as wenjiu counts them (dates are TEXT 'YYYY-MM-DD')."""
    part = lambda d, at, n: f"CAST(SUBSTR({d}, {at}, {n}) AS INT)"
    return (f"(({part(day, 1, 4)} - {part(birth, 1, 4)}) * 12 + {part(day, 6, 2)} - {part(birth, 6, 2)} "
            f"- ({part(day, 9, 2)} < {part(birth, 9, 2)}))")


def zero_household_on(h, day):
    """wenjiu's rule for household `h` on `day` (is_zero_employment_household): a member of
    urban hukou, a working-age member (16 to 60 or 55 in completed months; the 2025 increase
    moves no one before 2025) registered unemployed, no member employed. Its own aliases are
    r, w, v, q, e: `h` and `day` must not name them."""
    age = months_of_age("w.birth_date", day)
    return (f"EXISTS (SELECT 1 FROM person r WHERE r.household_id = {h} AND r.hukou = 'urban') "
            f"AND EXISTS (SELECT 1 FROM person w JOIN unemployment v ON v.person_id = w.id "
            f"WHERE w.household_id = {h} AND {open_unemployment('v', day)} AND {age} >= 192 "
            f"AND {age} < CASE WHEN w.sex = 'male' THEN 720 ELSE 660 END) "
            "AND NOT EXISTS (SELECT 1 FROM person q JOIN employment e ON e.person_id = q.id "
            f"WHERE q.household_id = {h} AND e.start_date <= {day} "
            f"AND (e.end_date IS NULL OR e.end_date > {day}))")


def zero_households(day):
    """The zero-employment households on `day`, found from their members' open unemployment
    registrations (wenjiu reads the same: households with a member registered unemployed)."""
    age = months_of_age("p.birth_date", day)
    return (f"JOIN unemployment u ON {open_unemployment('u', day)} "
            f"JOIN person p ON p.id = u.person_id AND {age} >= 192 "
            f"AND {age} < CASE WHEN p.sex = 'male' THEN 720 ELSE 660 END "
            "JOIN household h ON h.id = p.household_id "
            "WHERE EXISTS (SELECT 1 FROM person r WHERE r.household_id = h.id AND r.hukou = 'urban') "
            "AND NOT EXISTS (SELECT 1 FROM person q JOIN employment e ON e.person_id = q.id "
            f"WHERE q.household_id = h.id AND e.start_date <= {day} "
            f"AND (e.end_date IS NULL OR e.end_date > {day}))")


def whole_months(since, day):
    """Whole calendar months from `since` to `day` (whole_months_reached: `since` + n months
    <= `day`, the due day clamped to the end of a shorter month)."""
    part = lambda d, at, n: f"CAST(SUBSTR({d}, {at}, {n}) AS INT)"
    last = f"CAST(strftime('%d', {day}, 'start of month', '+1 month', '-1 day') AS INT)"
    return (f"(({part(day, 1, 4)} - {part(since, 1, 4)}) * 12 + {part(day, 6, 2)} - {part(since, 6, 2)} "
            f"- ({part(day, 9, 2)} < MIN({part(since, 9, 2)}, {last})))")


def difficult_on(day):
    """Person `p` (of job `t`) was 就业困难人员 on `day`: an unemployment registration open
    that day and an enabled category of the defaults wenjiu seeds (difficulty_category, all
    enabled in the bench database): woman 40 / man 50 in completed years; a declared
    attribute (person.attributes, space-delimited codes); 12 whole months registered
    unemployed; member of a zero-employment household that day."""
    declared = " OR ".join(f"instr(' ' || p.attributes || ' ', ' {a} ') > 0"
                           for a in ("disabled", "dibao", "land_lost", "single_parent"))
    return (f"EXISTS (SELECT 1 FROM unemployment u WHERE u.person_id = p.id "
            f"AND {open_unemployment('u', day)}) "
            f"AND ({months_of_age('p.birth_date', day)} >= CASE WHEN p.sex = 'male' THEN 600 ELSE 480 END "
            f"OR {declared} "
            f"OR EXISTS (SELECT 1 FROM unemployment l WHERE l.person_id = p.id "
            f"AND {open_unemployment('l', day)} AND {whole_months('l.registered_on', day)} >= 12) "
            f"OR (p.household_id IS NOT NULL AND EXISTS (SELECT 1 FROM household z WHERE z.id = p.household_id) "
            f"AND {zero_household_on('p.household_id', day)}))")


def queries(year, through=12):
    """(code, sql, args) of the six computed indicators; stocks for months 1..through."""
    months = [(year, m) for m in range(1, through + 1)]
    return [
        ("urban_newly_employed", *flow(year, new_jobs())),
        ("difficulty_employed", *flow(year,
            f"SELECT t.region, t.month, t.nth FROM ({new_jobs()}) t JOIN person p ON p.id = t.person_id "
            f"WHERE t.nth = 1 AND {difficult_on(day_before('t.start_date'))}")),
        ("reemployed", *flow(year,
            "SELECT u.region, SUBSTR(u.ended_on, 1, 7) AS month, "
            "ROW_NUMBER() OVER (PARTITION BY u.person_id ORDER BY u.ended_on) AS nth "
            "FROM unemployment u WHERE u.end_reason = 'employed' "
            "AND u.ended_on >= $1 AND u.ended_on <= $2")),
        ("registered_unemployed", *per_month(months, "u.region",
            f"JOIN unemployment u ON {open_unemployment('u', 'm.last_day')}",
            "COUNT(DISTINCT u.person_id)")),
        ("zero_employment_households", *per_month(months, "h.region",
            zero_households("m.last_day"), "COUNT(DISTINCT h.id)")),
        ("zero_employment_placed", *per_month(months, "h.region",
            "JOIN employment j ON j.start_date > m.prev_day AND j.start_date <= m.last_day "
            "JOIN person s ON s.id = j.person_id JOIN household h ON h.id = s.household_id "
            f"WHERE {zero_household_on('h.id', day_before('j.start_date'))}",
            "COUNT(DISTINCT h.id)")),
    ]


def ledger(cur, code, year):
    rows = cur.execute(
        "SELECT region, month, value FROM ledger WHERE indicator = ? AND current = 1 "
        "AND month >= ? AND month <= ?", (code, f"{year}-01", f"{year}-12")).fetchall()
    return {(r, m): int(v) for r, m, v in rows}


def shell_script(sql, args):
    """A sqlite3-shell script: wenjiu's settings, the parameters, the query under .timer."""
    lines = [p.strip() + ";" for p in PRAGMAS.split(";") if p.strip()]
    lines += [".parameter init"]
    lines += [f""".parameter set ${i} "'{a}'\"""" for i, a in enumerate(args, 1)]
    lines += [".timer on", sql + ";"]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("--year", type=int, default=2020)
    ap.add_argument("--only", help="one indicator code")
    ap.add_argument("--plan", action="store_true")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--shell", metavar="CODE")
    a = ap.parse_args()
    qs = queries(a.year)
    if a.shell:
        [(_, sql, args)] = [q for q in qs if q[0] == a.shell]
        sys.stdout.write(shell_script(sql, args))
        return
    if a.only:
        qs = [q for q in qs if q[0] == a.only]
    if apsw:
        con = apsw.Connection(a.db, flags=apsw.SQLITE_OPEN_READWRITE)
        cur = con.cursor()
        cur.execute(PRAGMAS).fetchall()
    else:
        con = sqlite3.connect(a.db)
        cur = con.cursor()
        cur.executescript(PRAGMAS)
    print(f"engine: {ENGINE}")
    total, cpu, ok = 0.0, 0.0, True
    for code, sql, args in qs:
        if a.plan:
            print(f"-- {code}")
            for row in cur.execute("EXPLAIN QUERY PLAN " + sql, args).fetchall():
                print("   ", row[-1] if len(row) < 4 else row[3])
        t, c = time.perf_counter(), time.process_time()
        rows = cur.execute(sql, args).fetchall()
        dt, dc = time.perf_counter() - t, time.process_time() - c
        total += dt
        cpu += dc
        line = (f"{code:28} {dt:8.3f} s  (CPU {dc:7.2f} s)  {len(rows):5} region-months  "
                f"{sum(r[2] for r in rows):>10,} in all")
        if a.check:
            got = {(r[1], r[0]) if code in ("registered_unemployed", "zero_employment_households",
                                            "zero_employment_placed") else (r[0], r[1]): r[2]
                   for r in rows}
            same = got == ledger(cur, code, a.year)
            ok &= same
            line += "  ledger " + ("OK" if same else "MISMATCH")
        print(line, flush=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{'total':28} {total:8.3f} s  (CPU {cpu:7.2f} s)  peak RSS {rss / 1024:.0f} MiB")
    if a.check and not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
