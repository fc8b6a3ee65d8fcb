#!/usr/bin/env python3
"""The peer of the batch policy-screening benchmark: OpenFisca (openfisca-core from PyPI)
running the same four policies of policies/liaoning-2020 as wenjiu — `hiring-si`,
`hiring-epidemic-supplies` (subject: a hire), `flexible-si` (subject: a person) and
`stable-return` (subject: an enterprise) — over the same CSV files (bench/policy/gen.py), at
2020-06-30.

    bench/policy/.venv/bin/python bench/policy/openfisca_bench.py [--data DIR] [--runs 5]
        [--check-json FILE]   # wenjiu's screen_bench output: compare counts and totals

The country package is defined here: one person-like entity `subject` (a hire, a person and
an enterprise are each one row; OpenFisca has no notion of a subject made of two entities, so the hire's
enterprise and person fields are simply its variables, as in the CSV), input variables named
after the schema fields (`person.age` → `person_age`), parameters with the catalogue's values
as of 2020 (parameters/*.toml), and one formula variable per condition, eligibility and amount.

Where OpenFisca differs from wenjiu and how this script deals with it:
- Parameters are not regional. `hiring_si_months` has a province default (3) and city values
  (沈阳 2101: 4, 大连 2102: 6): they are stored as children of one parameter node
  (`hiring.si_months.province`, `hiring.si_months.city_2101`, …) and the formula resolves them
  per row with numpy: a 14-entry table by city (the city's value or the province default)
  indexed by each row's city (region // 100 − 2101).
- Dates are not parameter values: the hiring period (2020-01-01…2020-12-31) and the epidemic
  period (2020-01-25…2020-12-31) are constants of the formulas.
- Money: OpenFisca's `float` is float32. Amounts here are `int` variables (int32 in OpenFisca;
  every amount fits) computed in integer fen — `si_paid_fen * 2 // 3` for the 2/3 share,
  exact, as wenjiu's rounding down to the fen — and summed as int64. The script also computes
  the flexible-si amount the usual OpenFisca way (a float variable × the float parameter 2/3,
  floored) and reports how many rows and fen that differs by; it is not part of the timing.
  Rates are kept exact as integer numerators and denominators (the layoff-rate tests compare
  cross-multiplied; the refund of 50% of the UI paid is rounded half up to the fen).
- `stable-return-difficulty` is not compared: its amount, six months of the city's
  unemployment benefit per insured worker, reaches 2,624,400,000 fen for a large enterprise
  in 沈阳, beyond OpenFisca's `int` (int32: 2,147,483,647) — written as an int variable, its
  total over 2,000 enterprises came out 10,026,488,585 fen against the exact 14,321,455,881 —
  and its `float` (float32) holds an amount to the fen only up to 167,772.16 yuan.
- No short-circuit: every condition is computed for every row (vectorized numpy).

Timings (seconds, printed as JSON): `import` (importing openfisca_core, numpy, pandas),
`setup` (building the tax-benefit system: entities, variables, parameters), `load` (pandas
reads the columns the policies read from the three CSVs — the files hold every field of the
catalogue, and wenjiu's example too reads only its policies' columns; columns converted to
the variables' dtypes; the three simulations built and their inputs set), `compute`
(calculating the eligibility and amount variables of the four policies, best of RUNS, each run
on fresh simulations with the inputs already set).
"""

import time

_t0 = time.perf_counter()
import argparse  # noqa: E402
import datetime  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import openfisca_core  # noqa: E402
from openfisca_core.entities import build_entity  # noqa: E402
from openfisca_core.indexed_enums import Enum  # noqa: E402
from openfisca_core.parameters import ParameterNode  # noqa: E402
from openfisca_core.periods import MONTH  # noqa: E402
from openfisca_core.simulations import SimulationBuilder  # noqa: E402
from openfisca_core.taxbenefitsystems import TaxBenefitSystem  # noqa: E402
from openfisca_core.variables import Variable  # noqa: E402
from importlib.metadata import version  # noqa: E402

T_IMPORT = time.perf_counter() - _t0

HERE = os.path.dirname(os.path.abspath(__file__))
PERIOD = "2020-06"
CITIES = [f"21{c:02d}" for c in range(1, 15)]

HIRE_FROM = np.datetime64("2020-01-01")
HIRE_TO = np.datetime64("2020-12-31")
EPIDEMIC_FROM = np.datetime64("2020-01-25")  # parameters/general.toml epidemic_from
EPIDEMIC_TO = np.datetime64("2020-12-31")  # epidemic_to


def v(value, start="2020-01-01"):
    return {"values": {start: {"value": value}}}


# The catalogue's values in force at 2020-06-30 (policies/liaoning-2020/parameters/*.toml).
PARAMETERS = {
    "hiring": {
        "min_contract_months": v(12),
        "min_unemployed_months": v(6),
        "si_months": {"province": v(3), "city_2101": v(4), "city_2102": v(6)},
        "epidemic_amount_fen": v(100000),
        "epidemic_cap_fen": v(100000),
    },
    "general": {
        "retirement_age_male": v(60, "2019-01-01"),
        "retirement_age_female": v(55, "2019-01-01"),
        "near_retirement_years": v(5, "2019-01-01"),
    },
    "flexible": {
        "si_share": v(2 / 3, "2019-01-01"),  # only for the float variant
        "si_share_numerator": v(2, "2019-01-01"),
        "si_share_denominator": v(3, "2019-01-01"),
        "difficulty_months": v(36, "2019-01-01"),
        "graduate_months": v(24, "2019-01-01"),
        "extension_months": {
            "values": {
                "2019-01-01": {"value": 0},
                "2020-01-01": {"value": 12},
                "2021-01-01": {"value": 0},
            }
        },
    },
    # parameters/stable-return.toml; rates as numerator / denominator.
    "stable": {
        "rate_large_num": v(1), "rate_large_den": v(2),          # 50%
        "rate_sme_num": v(1), "rate_sme_den": v(1),              # 100% in 2020
        "layoff_max_num": v(55), "layoff_max_den": v(1000),      # 5.5%
        "small_layoff_max_num": v(1), "small_layoff_max_den": v(5),  # 20%
        "small_insured_max": v(30),
    },
}


class Sex(Enum):
    male = "male"
    female = "female"


class SizeClass(Enum):
    micro = "micro"
    small = "small"
    medium = "medium"
    large = "large"


class EmploymentKind(Enum):
    none = "none"
    employer = "employer"
    self_employed = "self_employed"
    flexible = "flexible"
    public_welfare = "public_welfare"


def build_system():
    subject = build_entity(
        key="subject", plural="subjects", label="A person or a hire", is_person=True
    )

    def inp(name, vtype, default=None, enum=None):
        attrs = {
            "value_type": vtype,
            "entity": subject,
            "definition_period": MONTH,
            "label": name,
        }
        if enum is not None:
            attrs["possible_values"] = enum
            attrs["default_value"] = default
        return type(name, (Variable,), attrs)

    inputs = [
        inp("region", int),
        inp("person_age", int),
        inp("person_sex", Enum, Sex.male, Sex),
        inp("person_registered_unemployed", bool),
        inp("person_unemployed_months", int),
        inp("person_graduate_of_year", bool),
        inp("person_graduate_within_2y", bool),
        inp("person_difficulty", bool),
        inp("person_difficulty_recognised", bool),
        inp("person_employment_kind", Enum, EmploymentKind.none, EmploymentKind),
        inp("person_si_paid_fen", int),
        inp("person_si_paid_yuan", float),  # only for the float variant
        inp("person_flexible_si_months_subsidised", int),
        inp("enterprise_epidemic_supplies", bool),
        inp("hire_start_date", datetime.date),
        inp("hire_contract_months", int),
        inp("hire_si_paid", bool),
        inp("hire_monthly_employer_si_fen", int),
        inp("enterprise_size_class", Enum, SizeClass.micro, SizeClass),
        inp("enterprise_insured_count", int),
        inp("enterprise_insured_start_of_year", int),
        inp("enterprise_ui_paid_in_full", bool),
        inp("enterprise_ui_paid_last_year_fen", int),
    ]

    def formula_var(name, vtype, fn):
        return type(
            name,
            (Variable,),
            {
                "value_type": vtype,
                "entity": subject,
                "definition_period": MONTH,
                "label": name,
                "formula": fn,
            },
        )

    # ---- hiring-si 一次性吸纳就业补贴（吸纳失业人员、高校毕业生）
    def hiring_si_target_group(s, period, parameters):
        p = parameters(period).hiring
        return (
            s("person_registered_unemployed", period)
            * (s("person_unemployed_months", period) >= p.min_unemployed_months)
        ) + s("person_graduate_of_year", period)

    def hiring_si_eligible(s, period, parameters):
        p = parameters(period).hiring
        start = s("hire_start_date", period)
        return (
            s("hiring_si_target_group", period)
            * (s("hire_contract_months", period) >= p.min_contract_months)
            * s("hire_si_paid", period)
            * (start >= HIRE_FROM)
            * (start <= HIRE_TO)
        )

    def hiring_si_months(s, period, parameters):
        node = parameters(period).hiring.si_months
        # Per-city values by numpy lookup: OpenFisca parameters are not regional.
        table = np.array(
            [getattr(node, "city_" + c, node.province) for c in CITIES], dtype=np.int64
        )
        city = s("region", period) // 100 - 2101
        return np.clip(table[city], 3, 6)

    def hiring_si_amount(s, period, parameters):
        return np.where(
            s("hiring_si_eligible", period),
            s("hiring_si_months", period) * s("hire_monthly_employer_si_fen", period),
            0,
        )

    # ---- hiring-epidemic-supplies 一次性吸纳就业补贴（疫情防控物资企业）
    def hiring_epidemic_eligible(s, period, parameters):
        p = parameters(period).hiring
        start = s("hire_start_date", period)
        return (
            s("enterprise_epidemic_supplies", period)
            * (start >= EPIDEMIC_FROM)
            * (start <= EPIDEMIC_TO)
            * (s("hire_contract_months", period) >= p.min_contract_months)
        )

    def hiring_epidemic_amount(s, period, parameters):
        p = parameters(period).hiring
        amount = min(p.epidemic_amount_fen, p.epidemic_cap_fen)
        return np.where(s("hiring_epidemic_eligible", period), amount, 0)

    # ---- flexible-si 灵活就业人员社会保险补贴
    def flexible_retirement_age(s, period, parameters):
        p = parameters(period).general
        return np.where(
            s("person_sex", period) == Sex.male,
            p.retirement_age_male,
            p.retirement_age_female,
        )

    def flexible_si_eligible(s, period, parameters):
        g = parameters(period).general
        f = parameters(period).flexible
        age = s("person_age", period)
        retire = s("flexible_retirement_age", period)
        # Recognised as such by the employment service (no longer registered unemployed).
        difficulty = s("person_difficulty", period) + s("person_difficulty_recognised", period)
        months = s("person_flexible_si_months_subsidised", period)
        within = np.where(
            difficulty,
            # Near retirement at the first approval: retire − (age − months / 12) ≤ 5, in months.
            ((12 * (retire - age) + months) <= 12 * g.near_retirement_years)
            + (months < f.difficulty_months + f.extension_months),
            months < f.graduate_months,
        )
        return (
            (s("person_employment_kind", period) == EmploymentKind.flexible)
            * (difficulty + s("person_graduate_within_2y", period))
            * (age < retire)
            * (s("person_si_paid_fen", period) > 0)
            * within
        )

    def flexible_si_amount(s, period, parameters):
        f = parameters(period).flexible
        si = s("person_si_paid_fen", period).astype(np.int64)
        amount = si * f.si_share_numerator // f.si_share_denominator
        return np.where(s("flexible_si_eligible", period), amount, 0)

    def flexible_si_amount_float(s, period, parameters):
        # The usual OpenFisca way: money in yuan as float (float32), times the float share.
        f = parameters(period).flexible
        amount = np.floor(s("person_si_paid_yuan", period) * f.si_share * 100) / 100
        return np.where(s("flexible_si_eligible", period), amount, 0)

    # ---- stable-return 失业保险稳岗返还
    def stable_layoff_ok(s, period, parameters):
        p = parameters(period).stable
        start = s("enterprise_insured_start_of_year", period).astype(np.int64)
        laid_off = start - s("enterprise_insured_count", period)
        small = start <= p.small_insured_max
        num = np.where(small, p.small_layoff_max_num, p.layoff_max_num)
        den = np.where(small, p.small_layoff_max_den, p.layoff_max_den)
        return laid_off * den <= num * start

    def stable_return_eligible(s, period, parameters):
        return (
            (s("enterprise_insured_start_of_year", period) > 0)
            * s("enterprise_ui_paid_in_full", period)
            * s("stable_layoff_ok", period)
        )

    def stable_return_amount(s, period, parameters):
        p = parameters(period).stable
        large = s("enterprise_size_class", period) == SizeClass.large
        num = np.where(large, p.rate_large_num, p.rate_sme_num)
        den = np.where(large, p.rate_large_den, p.rate_sme_den)
        paid = s("enterprise_ui_paid_last_year_fen", period).astype(np.int64)
        amount = (paid * num * 2 + den) // (2 * den)  # half up to the fen
        return np.where(s("stable_return_eligible", period), amount, 0)

    formulas = [
        formula_var("hiring_si_target_group", bool, hiring_si_target_group),
        formula_var("hiring_si_eligible", bool, hiring_si_eligible),
        formula_var("hiring_si_months", int, hiring_si_months),
        formula_var("hiring_si_amount", int, hiring_si_amount),
        formula_var("hiring_epidemic_eligible", bool, hiring_epidemic_eligible),
        formula_var("hiring_epidemic_amount", int, hiring_epidemic_amount),
        formula_var("flexible_retirement_age", int, flexible_retirement_age),
        formula_var("flexible_si_eligible", bool, flexible_si_eligible),
        formula_var("flexible_si_amount", int, flexible_si_amount),
        formula_var("flexible_si_amount_float", float, flexible_si_amount_float),
        formula_var("stable_layoff_ok", bool, stable_layoff_ok),
        formula_var("stable_return_eligible", bool, stable_return_eligible),
        formula_var("stable_return_amount", int, stable_return_amount),
    ]

    tbs = TaxBenefitSystem([subject])
    for var in inputs + formulas:
        tbs.add_variable(var)
    tbs.parameters = ParameterNode("", data=PARAMETERS)
    return tbs


# The columns the four policies read (the files hold the whole catalogue's).
HIRE_COLUMNS = [
    "region", "person.registered_unemployed", "person.unemployed_months",
    "person.graduate_of_year", "enterprise.epidemic_supplies", "hire.start_date",
    "hire.contract_months", "hire.si_paid", "hire.monthly_employer_si_fen",
]
PERSON_COLUMNS = [
    "region", "person.age", "person.sex", "person.difficulty", "person.difficulty_recognised",
    "person.graduate_within_2y",
    "person.employment_kind", "person.si_paid_fen", "person.flexible_si_months_subsidised",
]


ENTERPRISE_COLUMNS = [
    "region", "enterprise.size_class", "enterprise.insured_count",
    "enterprise.insured_start_of_year", "enterprise.ui_paid_in_full",
    "enterprise.ui_paid_last_year_fen",
]


def load_columns(data):
    """The CSVs' columns the policies read, as numpy arrays in the variables' dtypes."""
    bool_true = ["true"]
    bool_false = ["false"]
    hire = pd.read_csv(
        os.path.join(data, "hire.csv"), usecols=HIRE_COLUMNS, dtype={"region": np.int32},
        true_values=bool_true, false_values=bool_false, engine="c",
    )
    person = pd.read_csv(
        os.path.join(data, "person.csv"), usecols=PERSON_COLUMNS,
        dtype={"region": np.int32, "person.sex": "category",
               "person.employment_kind": "category"},
        true_values=bool_true, false_values=bool_false, engine="c",
    )
    h = {
        "region": hire["region"].to_numpy(np.int32),
        "person_registered_unemployed": hire["person.registered_unemployed"].to_numpy(bool),
        "person_unemployed_months": hire["person.unemployed_months"].to_numpy(np.int32),
        "person_graduate_of_year": hire["person.graduate_of_year"].to_numpy(bool),
        "enterprise_epidemic_supplies": hire["enterprise.epidemic_supplies"].to_numpy(bool),
        "hire_start_date": hire["hire.start_date"].to_numpy("U10").astype("datetime64[D]"),
        "hire_contract_months": hire["hire.contract_months"].to_numpy(np.int32),
        "hire_si_paid": hire["hire.si_paid"].to_numpy(bool),
        "hire_monthly_employer_si_fen": hire["hire.monthly_employer_si_fen"].to_numpy(np.int32),
    }

    def enum_index(series, enum):
        cats = list(series.cat.categories)
        table = np.array([enum[c].index for c in cats], dtype=np.int16)
        return enum, table[series.cat.codes.to_numpy()]

    si = person["person.si_paid_fen"].to_numpy(np.int64)
    p = {
        "region": person["region"].to_numpy(np.int32),
        "person_age": person["person.age"].to_numpy(np.int32),
        "person_sex": enum_index(person["person.sex"], Sex),
        "person_difficulty": person["person.difficulty"].to_numpy(bool),
        "person_difficulty_recognised": person["person.difficulty_recognised"].to_numpy(bool),
        "person_graduate_within_2y": person["person.graduate_within_2y"].to_numpy(bool),
        "person_employment_kind": enum_index(person["person.employment_kind"], EmploymentKind),
        "person_si_paid_fen": si.astype(np.int32),
        "person_flexible_si_months_subsidised":
            person["person.flexible_si_months_subsidised"].to_numpy(np.int32),
    }
    enterprise = pd.read_csv(
        os.path.join(data, "enterprise.csv"), usecols=ENTERPRISE_COLUMNS,
        dtype={"region": np.int32, "enterprise.size_class": "category"},
        true_values=bool_true, false_values=bool_false, engine="c",
    )
    e = {
        "region": enterprise["region"].to_numpy(np.int32),
        "enterprise_size_class": enum_index(enterprise["enterprise.size_class"], SizeClass),
        "enterprise_insured_count": enterprise["enterprise.insured_count"].to_numpy(np.int32),
        "enterprise_insured_start_of_year":
            enterprise["enterprise.insured_start_of_year"].to_numpy(np.int32),
        "enterprise_ui_paid_in_full": enterprise["enterprise.ui_paid_in_full"].to_numpy(bool),
        "enterprise_ui_paid_last_year_fen":
            enterprise["enterprise.ui_paid_last_year_fen"].to_numpy(np.int32),
    }
    return h, p, e, si


def simulation(tbs, columns):
    n = len(columns["region"])
    sim = SimulationBuilder().build_default_simulation(tbs, n)
    for name, values in columns.items():
        if isinstance(values, tuple):  # (Enum, indices)
            from openfisca_core.indexed_enums import EnumArray
            values = EnumArray(values[1], values[0])
        sim.set_input(name, PERIOD, values)
    return sim


def compute(hire_sim, person_sim, enterprise_sim):
    out = {}
    for pid, sim, elig, amount in [
        ("hiring-si", hire_sim, "hiring_si_eligible", "hiring_si_amount"),
        ("hiring-epidemic-supplies", hire_sim, "hiring_epidemic_eligible",
         "hiring_epidemic_amount"),
        ("flexible-si", person_sim, "flexible_si_eligible", "flexible_si_amount"),
        ("stable-return", enterprise_sim, "stable_return_eligible", "stable_return_amount"),
    ]:
        e = sim.calculate(elig, PERIOD)
        a = sim.calculate(amount, PERIOD)
        out[pid] = (e, a)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(HERE, "data", "1000000"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--check-json", help="wenjiu's screen_bench JSON, to compare with")
    ap.add_argument("--dict-sample", type=int, default=10000,
                    help="hires set up through SimulationBuilder.build_from_entities (0: skip)")
    a = ap.parse_args()

    t = time.perf_counter()
    tbs = build_system()
    t_setup = time.perf_counter() - t

    t = time.perf_counter()
    h, p, e, si_fen = load_columns(a.data)
    hire_sim = simulation(tbs, h)
    person_sim = simulation(tbs, p)
    enterprise_sim = simulation(tbs, e)
    t_load = time.perf_counter() - t

    runs = []
    results = None
    for r in range(max(1, a.runs)):
        if r > 0:  # fresh simulations (OpenFisca caches results), not timed
            hire_sim = simulation(tbs, h)
            person_sim = simulation(tbs, p)
            enterprise_sim = simulation(tbs, e)
        t = time.perf_counter()
        results = compute(hire_sim, person_sim, enterprise_sim)
        runs.append(time.perf_counter() - t)
    t_compute = min(runs)

    policies = []
    for pid, (e, amt) in results.items():
        policies.append({
            "policy": pid,
            "rows": int(len(e)),
            "eligible": int(np.count_nonzero(e)),
            "total_fen": int(amt.astype(np.int64).sum()),
            "amount_dtype": str(amt.dtype),
        })

    # The float variant of flexible-si: yuan as float32 × 2/3, floored to the fen.
    person_sim.set_input("person_si_paid_yuan", PERIOD, (si_fen / 100).astype(np.float32))
    flo = person_sim.calculate("flexible_si_amount_float", PERIOD)
    exact = results["flexible-si"][1].astype(np.int64)
    flo_fen = np.rint(flo.astype(np.float64) * 100).astype(np.int64)
    float_variant = {
        "dtype": str(flo.dtype),
        "total_fen": int(flo_fen.sum()),
        "rows_differing": int(np.count_nonzero(flo_fen != exact)),
        "total_difference_fen": int(flo_fen.sum() - exact.sum()),
        "float32_sum_of_amounts_yuan": float(flo.sum(dtype=np.float32)),
    }

    dict_setup = None
    if a.dict_sample:
        # OpenFisca's other input path (its /calculate API and YAML tests): a situation as
        # nested dicts, built by SimulationBuilder.build_from_entities. Measured on the first
        # N hires, set-up and compute of hiring-si, checked against the array path.
        n = min(a.dict_sample, len(h["region"]))
        t = time.perf_counter()
        subjects = {}
        for i in range(n):
            row = {}
            for name, values in h.items():
                x = values[i]
                if name == "hire_start_date":
                    x = str(x)
                elif isinstance(x, np.bool_):
                    x = bool(x)
                else:
                    x = int(x)
                row[name] = {PERIOD: x}
            subjects[f"s{i}"] = row
        sim = SimulationBuilder().build_from_entities(tbs, {"subjects": subjects})
        t_build = time.perf_counter() - t
        t = time.perf_counter()
        amt = sim.calculate("hiring_si_amount", PERIOD)
        t_calc = time.perf_counter() - t
        assert (amt == results["hiring-si"][1][:n]).all(), "dict path differs"
        dict_setup = {"rows": n, "setup_seconds": t_build, "compute_seconds": t_calc,
                      "setup_seconds_per_1m_rows": t_build * 1_000_000 / n}

    out = {
        "versions": {
            "python": sys.version.split()[0],
            "openfisca-core": version("openfisca-core"),
            "numpy": np.__version__,
            "pandas": pd.__version__,
        },
        "seconds": {
            "import": T_IMPORT,
            "setup": t_setup,
            "load": t_load,
            "compute": t_compute,
            "compute_runs": runs,
            "end_to_end": t_setup + t_load + t_compute,
        },
        "policies": policies,
        "flexible_si_float_variant": float_variant,
        "dict_input_path": dict_setup,
    }
    status = 0
    if a.check_json:
        with open(a.check_json, encoding="utf-8") as f:
            w = json.load(f)
        theirs = {x["policy"]: x for x in w["policies"]}
        cmp = {}
        for x in policies:
            y = theirs[x["policy"]]
            same = x["eligible"] == y["eligible"] and x["total_fen"] == y["total_fen"]
            cmp[x["policy"]] = "OK" if same else (
                f"MISMATCH openfisca {x['eligible']} / {x['total_fen']} fen, "
                f"wenjiu {y['eligible']} / {y['total_fen']} fen")
            status |= not same
        out["compare_with_wenjiu"] = cmp
    print(json.dumps(out, indent=2))
    return status


if __name__ == "__main__":
    sys.exit(main())
