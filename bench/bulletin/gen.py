#!/usr/bin/env python3
"""Synthetic registry for the monthly-bulletin benchmark: N people in households over
Liaoning's 100 counties, their employment registrations over 2008–2020 and their
unemployment registrations over 2019–2020, as four CSV files (Python 3 stdlib only).

Deterministic: people are made in chunks of CHUNK, each from its own `random.Random`
seeded with (seed, chunk number), so the files are the same for any --jobs.

    python3 bench/bulletin/gen.py [--people 10000000] [--seed 2020] [--out DIR] [--jobs 2]

Files (header line first; empty field = NULL):
    household.csv     id,household_no,region
    person.csv        id,name,sex,birth_date,hukou,region,household_id,education,difficulty,status
    employment.csv    person_id,kind,start_date,end_date,area,region
    unemployment.csv  person_id,registered_on,region,reason,ended_on,end_reason

The mix of registrations per person (shares of all people; see `person_rows`):
    60.0%  one open job since before 2019
     6.0%  a job renewed without a gap in 2019–2020 (sometimes twice)
     5.0%  a job change with a gap (a quarter of them registered unemployed in the gap)
     1.0%  two job changes with gaps (often two new jobs in 2020: counted once)
     1.0%  a second, concurrent job started in 2019–2020 (not a new job)
     4.0%  a first job ever in 2019–2020 (a fifth of them registered unemployed before)
     4.0%  lost a job in 2019–2020, registered unemployed, still open
     2.5%  lost a job, registered unemployed, re-employed (ended 'employed')
     2.0%  never employed, registered unemployed, still open
     0.5%  registered unemployed, ended for another reason
    14.0%  no registration
That is about 1.02 employment rows and 0.11 unemployment rows per person.
"""

import argparse
import csv
import datetime
import multiprocessing
import os
import random
import sys
import time

CHUNK = 250_000
HERE = os.path.dirname(os.path.abspath(__file__))
AREAS = os.path.join(HERE, "..", "..", "crates", "wenjiu-core", "data", "gb2260", "areas.csv")

# Resident population of Liaoning's cities, 万人 (as in crates/wenjiu-cli/src/synth.rs).
CITY_POPULATION = {
    "2101": 9118, "2102": 7488, "2103": 3282, "2104": 1819, "2105": 1296, "2106": 2153,
    "2107": 2668, "2108": 2312, "2109": 1619, "2110": 1577, "2111": 1390, "2112": 2329,
    "2113": 2840, "2114": 2403,
}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许沈曾彭吕关佟金白崔姜丁鲁付孟齐尹"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰志红建国宇鑫博晨欣怡佳雪琳浩然子轩涵梓晓丹波辉鹏东春海亮岩松"
EDUCATION = [("doctorate", 2), ("master", 15), ("bachelor", 120), ("college", 150),
             ("secondary_vocational", 120), ("high_school", 160), ("junior_high", 330),
             ("primary", 103)]
REASONS = [("contract_ended", 30), ("dismissed", 15), ("resigned", 20),
           ("graduate_unplaced", 15), ("business_closed", 8), ("land_lost", 4), ("other", 8)]
KINDS = ["employer"] * 7 + ["flexible"] * 2 + ["self_employed", "public_welfare"]
OTHER_ENDS = ["moved", "retired", "studying", "no_contact", "enlisted"]
DIFFICULTY = ["older", "disabled", "dibao", "land_lost", "single_parent", "long_term_unemployed"]


def table(pairs, slots=1000):
    """A lookup list in which each item fills slots in proportion to its weight."""
    total = sum(w for _, w in pairs)
    out = []
    for item, w in pairs:
        out += [item] * round(w * slots / total)
    return out


def counties():
    """Liaoning's county codes (21xxxx) from the GB/T 2260 table, as a weighted lookup list:
    a city by its population, then any of its counties."""
    by_city = {}
    with open(AREAS, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["code"].startswith("21"):
                by_city.setdefault(row["cityCode"], []).append(row["code"])
    assert set(by_city) == set(CITY_POPULATION), sorted(by_city)
    out = []
    for city, codes in sorted(by_city.items()):
        n = CITY_POPULATION[city]  # slots per city ∝ population, spread over its counties
        out += [codes[i % len(codes)] for i in range(n)]
    return out, sorted(c for codes in by_city.values() for c in codes)


D0 = datetime.date(1955, 1, 1).toordinal()
ISO = [datetime.date.fromordinal(D0 + i).isoformat() for i in range(366 * 67)]


def o(y, m, d):
    return datetime.date(y, m, d).toordinal() - D0


Y2008, Y2019, END = o(2008, 1, 1), o(2019, 1, 1), o(2020, 12, 31)
B1960, B2002 = o(1960, 1, 1), o(2002, 12, 31)


def chunk_rows(args):
    """Rows of people [first, first + count) as CSV text, one string per file."""
    chunk, first, count, seed = args
    rng = random.Random(seed * 1_000_003 + chunk)
    rnd = rng.random
    county_slots, _ = COUNTIES
    edu = table(EDUCATION)
    reasons = table(REASONS)
    hh, pp, ee, uu = [], [], [], []
    # Household ids of this chunk are chunk*CHUNK + 1.. (never more households than people).
    hid = chunk * CHUNK
    left = 0
    region = hukou = ""
    for pid in range(first, first + count):
        if left == 0:
            hid += 1
            left = (1, 2, 3, 3, 4)[int(rnd() * 5)]
            region = county_slots[int(rnd() * len(county_slots))]
            hukou = "rural" if rnd() < 0.27 else "urban"
            hh.append(f"{hid},{region}{hid:010d},{region}\n")
        left -= 1
        rural = hukou == "rural"

        def day(a, b):
            """A day in [a, b] (ordinals)."""
            return a + int(rnd() * (b - a + 1))

        def job(start, end, kind=None):
            k = kind or KINDS[int(rnd() * 11)]
            reg = region
            if k == "employer" and rnd() < 0.25:
                reg = county_slots[int(rnd() * len(county_slots))]
            area = "rural" if rural and k != "employer" else "urban"
            ee.append(f"{pid},{k},{ISO[start]},{ISO[end] if end is not None else ''},{area},{reg}\n")

        def unemployed(on, reason=None, ended=None, why=""):
            r = reason or reasons[int(rnd() * len(reasons))]
            uu.append(f"{pid},{ISO[on]},{region},{r},{ISO[ended] if ended is not None else ''},{why}\n")

        status = "employed"
        hard = 0.03
        roll = rnd()
        if roll < 0.600:  # one open job since before 2019
            job(day(Y2008, Y2019 - 1), None)
        elif roll < 0.660:  # renewed without a gap (contract renewal or transfer), maybe twice
            e1 = day(Y2019, END - 30)
            k = KINDS[int(rnd() * 11)]
            job(day(Y2008, Y2019 - 1), e1, k)
            if rnd() < 0.3:
                e2 = day(e1 + 10, END)
                job(e1 + 1, e2, k)
                if e2 < END:
                    job(e2 + 1, None, k)
            else:
                job(e1 + 1, None, k)
        elif roll < 0.710:  # a job change with a gap, sometimes registered unemployed in it
            e1 = day(Y2019, END - 60)
            s2 = min(e1 + 3 + int(rnd() * 150), END)
            job(day(Y2008, Y2019 - 1), e1)
            if s2 - e1 > 12 and rnd() < 0.25:
                unemployed(e1 + 1 + int(rnd() * 10), ended=s2, why="employed")
            job(s2, None)
        elif roll < 0.720:  # two changes with gaps: often two new jobs in 2020, counted once
            e1 = day(o(2019, 6, 1), o(2020, 3, 31))
            s2 = e1 + 2 + int(rnd() * 60)
            e2 = min(s2 + 20 + int(rnd() * 90), END - 20)
            s3 = min(e2 + 2 + int(rnd() * 60), END)
            job(day(Y2008, Y2019 - 1), e1)
            job(s2, e2)
            job(s3, None)
        elif roll < 0.730:  # a second job alongside an open one: not new
            job(day(Y2008, Y2019 - 1), None)
            s2 = day(Y2019, END)
            job(s2, s2 + 30 + int(rnd() * 300) if rnd() < 0.5 else None, "flexible")
        elif roll < 0.770:  # a first job ever in 2019–2020
            s = day(Y2019, END)
            if s - Y2019 > 40 and rnd() < 0.2:
                unemployed(day(Y2019, s - 30), "graduate_unplaced", s, "employed")
            job(s, None)
        elif roll < 0.810:  # lost a job, registered unemployed, still open
            e1 = day(Y2019, END - 30)
            job(day(Y2008, e1 - 30), e1)
            unemployed(e1 + 1 + int(rnd() * 20))
            status, hard = "unemployed", 0.25
        elif roll < 0.835:  # lost a job, registered unemployed, re-employed
            e1 = day(Y2019, o(2020, 9, 30))
            job(day(Y2008, e1 - 30), e1)
            reg = e1 + 1 + int(rnd() * 20)
            s2 = min(reg + 15 + int(rnd() * 200), END)
            unemployed(reg, ended=s2, why="employed")
            job(s2, None)
            hard = 0.25
        elif roll < 0.855:  # never employed here, registered unemployed
            unemployed(day(Y2019, END))
            status, hard = "unemployed", 0.25
        elif roll < 0.860:  # registered unemployed, ended for another reason
            reg = day(Y2019, END - 60)
            unemployed(reg, ended=reg + 30 + int(rnd() * 30), why=OTHER_ENDS[int(rnd() * 5)])
            status = "none"
        else:
            status = "none"
        difficulty = DIFFICULTY[int(rnd() * 6)] if rnd() < hard else ""
        name = SURNAMES[int(rnd() * 50)] + GIVEN[int(rnd() * 56)] + (GIVEN[int(rnd() * 56)] if rnd() < 0.6 else "")
        sex = "M" if rnd() < 0.5 else "F"
        birth = ISO[B1960 + int(rnd() * (B2002 - B1960 + 1))]
        pp.append(f"{pid},{name},{sex},{birth},{hukou},{region},{hid},{edu[int(rnd() * len(edu))]},{difficulty},{status}\n")
    return "".join(hh), "".join(pp), "".join(ee), "".join(uu)


COUNTIES = counties()
FILES = [
    ("household.csv", "id,household_no,region\n"),
    ("person.csv", "id,name,sex,birth_date,hukou,region,household_id,education,difficulty,status\n"),
    ("employment.csv", "person_id,kind,start_date,end_date,area,region\n"),
    ("unemployment.csv", "person_id,registered_on,region,reason,ended_on,end_reason\n"),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=10_000_000)
    ap.add_argument("--seed", type=int, default=2020)
    ap.add_argument("--out", default=None, help="folder (default bench/bulletin/data/N)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    a = ap.parse_args()
    out = a.out or os.path.join(HERE, "data", str(a.people))
    os.makedirs(out, exist_ok=True)
    started = time.time()
    tasks = [(c, c * CHUNK + 1, min(CHUNK, a.people - c * CHUNK), a.seed)
             for c in range((a.people + CHUNK - 1) // CHUNK)]
    files = [open(os.path.join(out, name + ".part"), "w", encoding="utf-8") for name, _ in FILES]
    rows = [0, 0, 0, 0]
    for f, (_, header) in zip(files, FILES):
        f.write(header)
    with multiprocessing.Pool(a.jobs) as pool:
        for i, parts in enumerate(pool.imap(chunk_rows, tasks)):
            for j, (f, text) in enumerate(zip(files, parts)):
                f.write(text)
                rows[j] += text.count("\n")
            print(f"\r{min((i + 1) * CHUNK, a.people):,} people", end="", file=sys.stderr)
    print(file=sys.stderr)
    for f, (name, _) in zip(files, FILES):
        f.close()
        os.replace(os.path.join(out, name + ".part"), os.path.join(out, name))
    print(f"{out}: " + ", ".join(f"{n} {name[:-4]}" for n, (name, _) in zip(rows, FILES))
          + f" rows in {time.time() - started:.1f} s")


if __name__ == "__main__":
    main()
