#!/usr/bin/env python3
"""Synthetic subjects for the batch policy-screening benchmark (Python 3 stdlib only,
deterministic: fixed seed, the same files every time).

    python3 bench/policy/gen.py [--rows 1000000] [--seed 2020] [--out bench/policy/data/ROWS]

Writes two CSV files, header first, column names = the schema's full field names
(crates/wenjiu-store/src/policy/schema.rs) plus `region` (6-digit county code):

    person.csv  one person per row (subject `person`, for flexible-si)
    hire.csv    one hire per row (subject `hire` = the employer's `enterprise.*` fields, the
                person's `person.*` fields on the day before the hire, the `hire.*` fields;
                region = the employer's county), for hiring-si and hiring-epidemic-supplies

Regions are Liaoning's 100 counties (the `21xxxx` codes of
crates/wenjiu-core/data/gb2260/areas.csv), a city chosen by population, then any of its
counties. Only the fields the three benchmarked policies read, plus a few others a registry
extract would carry (hukou, size class, industry), are written; the mix of values is stated
next to each column below.
"""

import argparse
import csv
import datetime
import os
import random
import time

HERE = os.path.dirname(os.path.abspath(__file__))
AREAS = os.path.join(HERE, "..", "..", "crates", "wenjiu-core", "data", "gb2260", "areas.csv")
CHUNK = 100_000

# Resident population of Liaoning's cities, 万人 (as in bench/bulletin/gen.py).
CITY_POPULATION = {
    "2101": 9118, "2102": 7488, "2103": 3282, "2104": 1819, "2105": 1296, "2106": 2153,
    "2107": 2668, "2108": 2312, "2109": 1619, "2110": 1577, "2111": 1390, "2112": 2329,
    "2113": 2840, "2114": 2403,
}

PERSON_COLUMNS = [
    "region", "person.age", "person.sex", "person.hukou", "person.registered_unemployed",
    "person.unemployed_months", "person.graduate_of_year", "person.graduate_within_2y",
    "person.difficulty", "person.employment_kind", "person.si_paid_fen",
    "person.flexible_si_months_subsidised",
]
HIRE_COLUMNS = [
    "region", "enterprise.size_class", "enterprise.industry", "enterprise.epidemic_supplies",
    "person.age", "person.sex", "person.registered_unemployed", "person.unemployed_months",
    "person.graduate_of_year", "hire.start_date", "hire.contract_months", "hire.si_paid",
    "hire.monthly_employer_si_fen",
]
KINDS = ["none"] * 20 + ["employer"] * 55 + ["flexible"] * 15 + ["self_employed"] * 7 \
    + ["public_welfare"] * 3
SIZES = ["micro"] * 40 + ["small"] * 35 + ["medium"] * 18 + ["large"] * 7
INDUSTRIES = "ABCDEFGHIJKLMNOPQRST"
CONTRACTS = [3, 6, 6, 11, 12, 12, 12, 24, 24, 36, 36, 60]
HIRE_FROM = datetime.date(2019, 7, 1)
HIRE_DAYS = (datetime.date(2020, 12, 31) - HIRE_FROM).days + 1


def counties():
    by_city = {}
    with open(AREAS, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["code"].startswith("21"):
                by_city.setdefault(row["cityCode"], []).append(row["code"])
    assert set(by_city) == set(CITY_POPULATION), sorted(by_city)
    cities = sorted(by_city)
    return cities, [CITY_POPULATION[c] for c in cities], by_city


def b(x):
    return "true" if x else "false"


def person_rows(rng, n, regions):
    cities, weights, by_city = regions
    city_list = rng.choices(cities, weights, k=n)
    for city in city_list:
        region = rng.choice(by_city[city])
        age = rng.randint(16, 64)
        sex = "male" if rng.random() < 0.51 else "female"
        hukou = "urban" if rng.random() < 0.68 else "rural"
        kind = rng.choice(KINDS)
        registered = kind == "none" and rng.random() < 0.4
        months = rng.randint(0, 30) if registered else 0
        grad_year = 21 <= age <= 26 and rng.random() < 0.10          # about 1% of all
        grad_2y = grad_year or (21 <= age <= 28 and rng.random() < 0.15)
        difficulty = rng.random() < (0.30 if age >= 40 else 0.08)   # 就业困难人员, more among the older
        # SI paid in the period claimed: flexible workers mostly pay (600–1,400 yuan a month for
        # 1–12 months), a few have not paid; others have 0 here.
        si = 0
        if kind == "flexible" and rng.random() < 0.9:
            si = rng.randint(60_000, 140_000) * rng.randint(1, 12) + rng.randint(0, 99)
        subsidised = rng.randint(0, 60) if (difficulty or grad_2y) and rng.random() < 0.6 else 0
        yield (region, age, sex, hukou, b(registered), months, b(grad_year), b(grad_2y),
               b(difficulty), kind, si, subsidised)


def hire_rows(rng, n, regions):
    cities, weights, by_city = regions
    city_list = rng.choices(cities, weights, k=n)
    for city in city_list:
        region = rng.choice(by_city[city])
        size = rng.choice(SIZES)
        industry = rng.choice(INDUSTRIES)
        supplies = rng.random() < 0.06                      # 疫情防控物资企业
        age = rng.randint(16, 60)
        sex = "male" if rng.random() < 0.55 else "female"
        registered = rng.random() < 0.30
        months = rng.randint(0, 36) if registered else 0
        grad_year = 21 <= age <= 26 and rng.random() < 0.35
        start = HIRE_FROM + datetime.timedelta(days=rng.randrange(HIRE_DAYS))
        contract = rng.choice(CONTRACTS)
        si_paid = rng.random() < 0.85
        monthly = rng.randint(80_000, 260_000)             # the employer's SI for this person, fen
        yield (region, size, industry, b(supplies), age, sex, b(registered), months,
               b(grad_year), start.isoformat(), contract, b(si_paid), monthly)


def write(path, columns, make, rows, seed, regions):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        for c in range(0, rows, CHUNK):
            rng = random.Random(f"{seed}:{os.path.basename(path)}:{c // CHUNK}")
            w.writerows(make(rng, min(CHUNK, rows - c), regions))
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000, help="persons and hires, each")
    ap.add_argument("--seed", type=int, default=2020)
    ap.add_argument("--out", help="default bench/policy/data/ROWS")
    a = ap.parse_args()
    a.out = a.out or os.path.join(HERE, "data", str(a.rows))
    os.makedirs(a.out, exist_ok=True)
    regions = counties()
    t = time.time()
    write(os.path.join(a.out, "person.csv"), PERSON_COLUMNS, person_rows, a.rows, a.seed, regions)
    write(os.path.join(a.out, "hire.csv"), HIRE_COLUMNS, hire_rows, a.rows, a.seed, regions)
    print(f"gen: {a.rows} persons and {a.rows} hires in {a.out} ({time.time() - t:.1f} s)")


if __name__ == "__main__":
    main()
