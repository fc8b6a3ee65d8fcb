#!/usr/bin/env python3
"""Synthetic subjects for the batch policy-screening benchmark (Python 3 stdlib only,
deterministic: fixed seed, the same files every time).

    python3 bench/policy/gen.py [--rows 1000000] [--seed 2020] [--out bench/policy/data/ROWS]

Writes three CSV files, header first, column names = the schema's full field names
(crates/wenjiu-store/src/policy/schema.rs) plus `region` (6-digit county code):

    person.csv      one person per row (subject `person`)
    hire.csv        one hire per row (subject `hire` = the employer's `enterprise.*` fields, the
                    person's `person.*` fields on the day before the hire, the `hire.*` fields;
                    region = the employer's county)
    enterprise.csv  one enterprise per row (subject `enterprise`), ROWS / 10 of them

Regions are Liaoning's 100 counties (the `21xxxx` codes of
crates/wenjiu-core/data/gb2260/areas.csv), a city chosen by population, then any of its
counties. Every field a policy of policies/liaoning-2020 reads is written, so that the whole
catalogue can be screened; the mix of values is stated next to each column below. The fields
the three policies compared with OpenFisca read (hiring-si, hiring-epidemic-supplies,
flexible-si) are drawn first, from their own random stream, the others from a second stream
(`extra`), so adding fields for the rest of the catalogue left those values unchanged but
one: the SI paid by self-employed 创业带头人, which flexible-si does not count (it requires
flexible employment). Fields added after those come from a third stream (`more`), leaving
every earlier value as it was.
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
    # the rest of the catalogue (second stream)
    "person.difficulty_recognised", "person.disabled", "person.dibao",
    "person.zero_employment_household", "person.poverty_household", "person.extreme_poverty",
    "person.student_loan", "person.public_welfare_months", "person.entrepreneur_leader",
    "person.leader_si_months_subsidised", "person.business_kind",
    "person.business_operating_months", "person.first_business", "person.training_certificate",
    "person.training_subsidised_this_year",
    # added later (third stream)
    "person.poor_disabled_family", "person.school_leaver",
]
HIRE_COLUMNS = [
    "region", "enterprise.size_class", "enterprise.industry", "enterprise.epidemic_supplies",
    "person.age", "person.sex", "person.registered_unemployed", "person.unemployed_months",
    "person.graduate_of_year", "hire.start_date", "hire.contract_months", "hire.si_paid",
    "hire.monthly_employer_si_fen",
    # the rest of the catalogue (second stream)
    "enterprise.epidemic_halted", "person.difficulty", "person.zero_employment_household",
    "person.graduate_within_2y", "person.poverty_household", "hire.training_months",
]
ENTERPRISE_COLUMNS = [
    "region", "enterprise.size_class", "enterprise.industry", "enterprise.insured_count",
    "enterprise.insured_start_of_year", "enterprise.ui_paid_in_full",
    "enterprise.ui_paid_last_year_fen", "enterprise.monthly_si_fen", "enterprise.in_difficulty",
    "enterprise.epidemic_halted", "enterprise.epidemic_supplies", "enterprise.incubation_platform",
    "enterprise.incubation_rank", "enterprise.operating_cost_fen",
]
KINDS = ["none"] * 20 + ["employer"] * 55 + ["flexible"] * 15 + ["self_employed"] * 7 \
    + ["public_welfare"] * 3
SIZES = ["micro"] * 40 + ["small"] * 35 + ["medium"] * 18 + ["large"] * 7
INDUSTRIES = "ABCDEFGHIJKLMNOPQRST"
# Insured staff by size class (the upper bound of the large class is the generator's).
STAFF = {"micro": (1, 9), "small": (10, 99), "medium": (100, 299), "large": (300, 3000)}
BUSINESS_KINDS = ["individual_business"] * 6 + ["small_micro_enterprise"] * 3 + ["other_enterprise"]
CERTIFICATES = ["special", "level5", "level5", "level4", "level3"]
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


def places(rng, n, regions):
    """The county of each of n rows: a city by population, then any of its counties (each
    county drawn as its row comes, before the row's other values)."""
    cities, weights, by_city = regions
    for city in rng.choices(cities, weights, k=n):
        yield rng.choice(by_city[city])


def b(x):
    return "true" if x else "false"


def person_rows(rng, extra, more, n, regions):
    for region in places(rng, n, regions):
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
        # The rest of the catalogue. Hardship: dibao, poverty (rural), extreme poverty,
        # disability, a student loan (recent graduates); the household without work.
        recognised = difficulty and extra.random() < 0.5
        disabled = extra.random() < 0.02
        dibao = extra.random() < 0.03
        zero = kind == "none" and extra.random() < 0.05
        poverty = hukou == "rural" and extra.random() < 0.05
        extreme = extra.random() < 0.005
        loan = grad_2y and extra.random() < 0.2
        welfare_months = extra.randint(0, 48) if kind == "public_welfare" else 0
        # The self-employed run a business (most an individual one); a tenth of them are
        # recognised 创业带头人, paying their own SI (the flexible workers' SI stays as drawn).
        business, operating, first, leader, leader_months = "none", 0, False, False, 0
        if kind == "self_employed":
            business = extra.choice(BUSINESS_KINDS)
            operating = extra.randint(0, 36)
            first = extra.random() < 0.7
            leader = extra.random() < 0.1
            leader_months = extra.randint(0, 40) if leader else 0
            if leader and extra.random() < 0.9:
                si = extra.randint(60_000, 140_000) * extra.randint(1, 12)
        certificate = extra.choice(CERTIFICATES) if extra.random() < 0.06 else "none"
        trained = certificate != "none" and extra.random() < 0.2
        yield (region, age, sex, hukou, b(registered), months, b(grad_year), b(grad_2y),
               b(difficulty), kind, si, subsidised,
               b(recognised), b(disabled), b(dibao), b(zero), b(poverty), b(extreme), b(loan),
               welfare_months, b(leader), leader_months, business, operating, b(first),
               certificate, b(trained), b(more.random() < 0.01),
               b(age <= 19 and more.random() < 0.3))


def hire_rows(rng, extra, _more, n, regions):
    for region in places(rng, n, regions):
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
        # The rest of the catalogue: the hired person's groups, an enterprise halted by the
        # epidemic, months of 以工代训 (a fifth of the hires, 1–8 months).
        halted = extra.random() < 0.08
        difficulty = extra.random() < 0.12
        zero = extra.random() < 0.02
        grad_2y = grad_year or (21 <= age <= 28 and extra.random() < 0.15)
        poverty = extra.random() < 0.03
        training = extra.randint(1, 8) if extra.random() < 0.2 else 0
        yield (region, size, industry, b(supplies), age, sex, b(registered), months,
               b(grad_year), start.isoformat(), contract, b(si_paid), monthly,
               b(halted), b(difficulty), b(zero), b(grad_2y), b(poverty), training)


def enterprise_rows(rng, _extra, _more, n, regions):
    """Insured staff by size class; at the start of the year most had as many (no layoffs),
    some a few more, some many more, a few none (new); the UI paid last year 400–900 yuan
    per insured worker, the monthly SI 1,000–2,000 yuan per worker; a few in difficulty,
    halted by the epidemic, making epidemic supplies; one in 500 an incubation platform,
    a third of those ranked 1–50 in the provincial evaluation."""
    for region in places(rng, n, regions):
        size = rng.choice(SIZES)
        industry = rng.choice(INDUSTRIES)
        insured = rng.randint(*STAFF[size])
        r = rng.random()
        if r < 0.03:
            start = 0
        elif r < 0.73:
            start = insured
        elif r < 0.93:
            start = insured + max(1, insured * rng.randint(1, 5) // 100)
        else:
            start = insured + max(1, insured * rng.randint(5, 20) // 100)
        in_full = rng.random() < 0.9
        ui_paid = start * rng.randint(40_000, 90_000)
        monthly = insured * rng.randint(100_000, 200_000)
        difficulty = rng.random() < 0.05
        halted = rng.random() < 0.1
        supplies = rng.random() < 0.03
        platform = rng.random() < 0.002
        rank = rng.randint(1, 50) if platform and rng.random() < 0.33 else 0
        cost = rng.randint(5_000_000, 300_000_000) if platform else 0
        yield (region, size, industry, insured, start, b(in_full), ui_paid, monthly,
               b(difficulty), b(halted), b(supplies), b(platform), rank, cost)


def write(path, columns, make, rows, seed, regions):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        for c in range(0, rows, CHUNK):
            name = f"{seed}:{os.path.basename(path)}:{c // CHUNK}"
            streams = (random.Random(name + suffix) for suffix in ("", ":extra", ":more"))
            w.writerows(make(*streams, min(CHUNK, rows - c), regions))
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000,
                    help="persons and hires, each; enterprises: a tenth of it")
    ap.add_argument("--seed", type=int, default=2020)
    ap.add_argument("--out", help="default bench/policy/data/ROWS")
    a = ap.parse_args()
    a.out = a.out or os.path.join(HERE, "data", str(a.rows))
    os.makedirs(a.out, exist_ok=True)
    regions = counties()
    t = time.time()
    write(os.path.join(a.out, "person.csv"), PERSON_COLUMNS, person_rows, a.rows, a.seed, regions)
    write(os.path.join(a.out, "hire.csv"), HIRE_COLUMNS, hire_rows, a.rows, a.seed, regions)
    enterprises = max(1, a.rows // 10)
    write(os.path.join(a.out, "enterprise.csv"), ENTERPRISE_COLUMNS, enterprise_rows,
          enterprises, a.seed, regions)
    print(f"gen: {a.rows} persons, {a.rows} hires and {enterprises} enterprises in {a.out} "
          f"({time.time() - t:.1f} s)")


if __name__ == "__main__":
    main()
