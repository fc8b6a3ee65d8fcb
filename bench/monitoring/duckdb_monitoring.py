#!/usr/bin/env python3
"""The peer of the monitoring benchmark: one month's monitoring run in DuckDB over the same
report rows as wenjiu's (DIR/reports.csv, written by the `monitoring_bench gen` example).

    python duckdb_monitoring.py load DIR                # reports.csv → DIR/monitoring.duckdb (setup)
    python duckdb_monitoring.py run DIR --month 2020-05 [--runs 5]

`run` times, best of RUNS, the whole run as wenjiu does it: the six default warning rules
(wenjiu_core::monitoring::warning::default_rules) over the month and its year-ago month, and
the month's figures (province total, per city, per industry, per ownership type, decrease
types and main reasons, the 13-month trend). It prints JSON with the findings per rule and
the month's totals, which run.sh compares with wenjiu's. Thresholds are inclusive and
compared exactly in integers, as wenjiu compares exact ratios:
- single_200: an enterprise's loss (last month's headcount − this month's) ≥ 200.
- enterprise_50: loss > 0 and (loss ≥ 50, or loss ≥ 10 and loss ≥ 30% of last month's).
- county_cluster: ≥ 5 enterprises of one county meeting enterprise_50's test.
- city_rate_10 / county_rate_5: (Σ baseline − Σ headcount) ≥ 10% / 5% of Σ baseline, per
  city (first four digits of the county code) / county.
- city_yoy: per city with reports a year ago: this month's net loss ≥ 500 and, when a year
  ago lost any, ≥ 150% of it.
"""

import argparse
import json
import os
import time

import duckdb

LOSS = "(previous - headcount)"
ENTERPRISE_50 = f"({LOSS} > 0 AND ({LOSS} >= 50 OR ({LOSS} >= 10 AND {LOSS} * 100 >= 30 * previous)))"


def year_ago(month: str) -> str:
    y, m = month.split("-")
    return f"{int(y) - 1}-{m}"


def months_back(month: str, n: int) -> str:
    y, m = map(int, month.split("-"))
    k = y * 12 + (m - 1) - n
    return f"{k // 12}-{k % 12 + 1:02d}"


def run(con, month: str):
    ago = year_ago(month)
    p = [month]
    findings = {
        "single_200": con.execute(f"SELECT COUNT(*) FROM r WHERE month = ? AND {LOSS} >= 200", p).fetchone()[0],
        "enterprise_50": con.execute(f"SELECT COUNT(*) FROM r WHERE month = ? AND {ENTERPRISE_50}", p).fetchone()[0],
        "county_cluster": con.execute(
            f"SELECT COUNT(*) FROM (SELECT region FROM r WHERE month = ? AND {ENTERPRISE_50} "
            "GROUP BY region HAVING COUNT(*) >= 5)", p).fetchone()[0],
    }
    for code, key, pct in [("city_rate_10", "substr(region, 1, 4)", 10), ("county_rate_5", "region", 5)]:
        findings[code] = con.execute(
            f"SELECT COUNT(*) FROM (SELECT {key} k, SUM(baseline) b, SUM(headcount) h FROM r "
            f"WHERE month = ? GROUP BY k) WHERE b > 0 AND (b - h) * 100 >= {pct} * b", p).fetchone()[0]
    findings["city_yoy"] = con.execute(
        "WITH now AS (SELECT substr(region, 1, 4) c, SUM(previous) - SUM(headcount) loss FROM r "
        "WHERE month = ? GROUP BY c), ago AS (SELECT substr(region, 1, 4) c, "
        "SUM(previous) - SUM(headcount) loss FROM r WHERE month = ? GROUP BY c) "
        "SELECT COUNT(*) FROM now JOIN ago USING (c) WHERE now.loss >= 500 AND "
        "(ago.loss <= 0 OR now.loss * 100 >= ago.loss * 150)", [month, ago]).fetchone()[0]
    sums = ("COUNT(*), SUM(baseline), SUM(previous), SUM(headcount), SUM(new_hires), SUM(decrease)")
    total = con.execute(f"SELECT {sums} FROM r WHERE month = ?", p).fetchone()
    figures = {
        "cities": con.execute(f"SELECT substr(region, 1, 4) k, {sums} FROM r WHERE month = ? GROUP BY k", p).fetchall(),
        "industries": con.execute(f"SELECT industry, {sums} FROM r WHERE month = ? GROUP BY industry", p).fetchall(),
        "ownerships": con.execute(f"SELECT ownership, {sums} FROM r WHERE month = ? GROUP BY ownership", p).fetchall(),
        "types": con.execute(
            f"SELECT decrease_type, COUNT(*), SUM({LOSS}) FROM r WHERE month = ? AND headcount < previous "
            "AND decrease_type IS NOT NULL GROUP BY decrease_type", p).fetchall(),
        "reasons": con.execute(
            f"SELECT reason, COUNT(*), SUM({LOSS}) FROM r WHERE month = ? AND headcount < previous "
            "AND reason IS NOT NULL GROUP BY reason", p).fetchall(),
        "trend": con.execute(
            f"SELECT month, {sums} FROM r WHERE month >= ? AND month <= ? GROUP BY month",
            [months_back(month, 12), month]).fetchall(),
    }
    return findings, total, figures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["load", "run"])
    ap.add_argument("dir")
    ap.add_argument("--month", default="2020-05")
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    path = os.path.join(a.dir, "monitoring.duckdb")
    if a.mode == "load":
        if os.path.exists(path):
            os.remove(path)
        con = duckdb.connect(path)
        con.execute(
            "CREATE TABLE r AS SELECT * FROM read_csv(?, header = true, columns = {"
            "'enterprise_id': 'BIGINT', 'region': 'VARCHAR', 'industry': 'VARCHAR', "
            "'ownership': 'VARCHAR', 'month': 'VARCHAR', 'baseline': 'BIGINT', 'previous': 'BIGINT', "
            "'headcount': 'BIGINT', 'new_hires': 'BIGINT', 'decrease': 'BIGINT', "
            "'decrease_type': 'VARCHAR', 'reason': 'VARCHAR'})",
            [os.path.join(a.dir, "reports.csv")])
        print(con.execute("SELECT COUNT(*) FROM r").fetchone()[0], "rows")
        return
    con = duckdb.connect(path, read_only=True)
    times = []
    for _ in range(a.runs):
        t = time.perf_counter()
        findings, total, figures = run(con, a.month)
        times.append(time.perf_counter() - t)
    print(json.dumps({
        "run_s": min(times),
        "findings": findings,
        "reported": total[0],
        "headcount": int(total[3]),
        "previous": int(total[2]),
        "decrease": int(total[5]),
        "cities": len(figures["cities"]),
        "trend_months": len(figures["trend"]),
    }))


if __name__ == "__main__":
    main()
