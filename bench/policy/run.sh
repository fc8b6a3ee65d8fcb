#!/usr/bin/env bash
# Batch policy screening (policy issue #5): wenjiu's batch engine against OpenFisca and a
# hand-written Rust loop, the same four policies of policies/liaoning-2020 (hiring-si,
# hiring-epidemic-supplies, flexible-si, stable-return) over the same 1,000,000 hires,
# 1,000,000 persons and 100,000 enterprises; then wenjiu alone screening them against the
# whole catalogue.
#
#   bench/policy/run.sh [ROWS] [RUNS]     # defaults 1000000 and 5
#   CPUS=0 bench/policy/run.sh            # all three pinned to one core (taskset -c 0)
#
# Builds the example in the debug profile: wenjiu's crates are compiled at opt-level 2 there
# (end of Cargo.toml), so the release build is not needed. See bench/README.md.
set -euo pipefail

ROWS=${1:-1000000}
RUNS=${2:-5}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DATA="$HERE/data/$ROWS"
VENV="$HERE/.venv"
cd "$ROOT"

PIN=()
if [[ -n "${CPUS:-}" ]]; then PIN=(taskset -c "$CPUS"); fi

echo "== machine"
echo "cpu:    $(nproc) × $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "memory: $(free -g | awk '/^Mem:/ {print $2}') GiB"
echo "load:   $(cut -d' ' -f1-3 /proc/loadavg) (before)"
echo "rustc:  $(rustc --version)"
[[ ${#PIN[@]} -gt 0 ]] && echo "pinned: ${PIN[*]}"

# enterprise.csv came with the catalogue's fields: without it the other files lack them too;
# files written before the catalogue's latest field lack that one.
if [[ ! -f "$DATA/hire.csv" || ! -f "$DATA/enterprise.csv" ]] \
  || ! head -1 "$DATA/person.csv" 2>/dev/null | grep -q school_leaver; then
  echo "== gen"
  python3 "$HERE/gen.py" --rows "$ROWS" --out "$DATA"
fi
echo "== data"
ls -l "$DATA"/hire.csv "$DATA"/person.csv "$DATA"/enterprise.csv \
  | awk '{printf "%s  %.1f MB\n", $NF, $5/1e6}'

if [[ ! -x "$VENV/bin/python" ]]; then
  echo "== venv"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "openfisca-core==46.0.1" "numpy==2.4.6" "pandas==3.1.1"
fi

echo "== build (debug profile; wenjiu crates at opt-level 2)"
cargo build -q -p wenjiu-store --example screen_bench
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/examples/screen_bench"

echo "== wenjiu + hand-written loop"
"${PIN[@]}" "$BIN" --data "$DATA" --catalogue policies/liaoning-2020 --date 2020-06-30 \
  --runs "$RUNS" > "$DATA/wenjiu.json"
echo "== OpenFisca"
status=0
"${PIN[@]}" "$VENV/bin/python" "$HERE/openfisca_bench.py" --data "$DATA" --runs "$RUNS" \
  --check-json "$DATA/wenjiu.json" > "$DATA/openfisca.json" || status=$?
echo "load:   $(cut -d' ' -f1-3 /proc/loadavg) (after)"

python3 - "$DATA/wenjiu.json" "$DATA/openfisca.json" <<'EOF'
import json, sys
w = json.load(open(sys.argv[1]))
o = json.load(open(sys.argv[2]))
ws, os_ = w["seconds"], o["seconds"]
print(f"versions: openfisca-core {o['versions']['openfisca-core']}, numpy {o['versions']['numpy']}, "
      f"pandas {o['versions']['pandas']}, Python {o['versions']['python']}; threads for wenjiu: {w['threads']}")
print(f"rows: {w['rows']['hire']:,} hires, {w['rows']['person']:,} persons, "
      f"{w['rows']['enterprise']:,} enterprises; date {w['date']}")
print()
print("| policy | eligible (wenjiu) | total fen (wenjiu) | loop | OpenFisca |")
print("|---|---|---|---|---|")
of = {p["policy"]: p for p in o["policies"]}
cmp = o.get("compare_with_wenjiu", {})
for p in w["policies"]:
    q = of[p["policy"]]
    loop = "equal" if (p["loop_eligible"], p["loop_total_fen"]) == (p["eligible"], p["total_fen"]) else "DIFFERENT"
    print(f"| {p['policy']} | {p['eligible']:,} | {p['total_fen']:,} | {loop} (row by row) | "
          f"{q['eligible']:,} / {q['total_fen']:,} {cmp.get(p['policy'], '')} |")
sc = w["single_cross_check"]
print(f"single evaluator on a sample of each frame, every policy of the catalogue: "
      f"{sc['evaluations']:,} evaluations, all equal to the batch")
fv = o["flexible_si_float_variant"]
exact = next(p["total_fen"] for p in w["policies"] if p["policy"] == "flexible-si")
print(f"OpenFisca float32 variant of flexible-si (yuan × 2/3): {fv['rows_differing']} rows differ, "
      f"total {fv['total_difference_fen']:+} fen; but the float32 sum of the amounts is "
      f"{fv['float32_sum_of_amounts_yuan']:,.2f} yuan against {exact / 100:,.2f} exact")
print()
print("| seconds | wenjiu | hand-written loop | OpenFisca |")
print("|---|---|---|---|")
print(f"| set-up (catalogue / tax-benefit system) | {ws['catalogue']:.3f} | — | {os_['setup']:.3f} |")
print(f"| load (CSV → columns / simulations) | {ws['load']:.3f} | (same columns) | {os_['load']:.3f} |")
print(f"| compute, best of {len(ws['compute_runs'])} | {ws['compute']:.3f} | {ws['loop']:.3f} | {os_['compute']:.3f} |")
print(f"| end to end (set-up + load + compute) | {ws['end_to_end']:.3f} | — | {os_['end_to_end']:.3f} |")
print(f"| (Python imports, not counted) | | | {os_['import']:.3f} |")
print(f"wenjiu load: {ws['load_read_and_parse']:.3f} s reading and parsing (all cores), "
      f"{ws['load_dictionaries_and_frame']:.3f} s dictionary-coding strings and regions into the frames")
d = o.get("dict_input_path")
if d:
    print(f"OpenFisca dict input path (build_from_entities, as /calculate): {d['rows']:,} hires set up in "
          f"{d['setup_seconds']:.2f} s, i.e. {d['setup_seconds_per_1m_rows']:.0f} s per 1,000,000 if linear")
print()
r_c = os_["compute"] / ws["compute"]
r_l = ws["compute"] / ws["loop"]
r_e = os_["end_to_end"] / ws["end_to_end"]
ok = lambda b: "met" if b else "NOT met"
print(f"compute only, OpenFisca / wenjiu: {r_c:.2f}×  (target ≥ 3×: {ok(r_c >= 3)})")
print(f"compute only, wenjiu / loop:      {r_l:.2f}×  (target ≤ 2×: {ok(r_l <= 2)})")
print(f"end to end, OpenFisca / wenjiu:   {r_e:.2f}×  (target ≥ 20×: {ok(r_e >= 20)})")

c = w["catalogue"]
cr, cs = c["rows"], c["seconds"]
print()
print(f"whole catalogue (wenjiu): {cr['hire']:,} hires, {cr['person']:,} persons, "
      f"{cr['enterprise']:,} enterprises; {len(c['policies'])} policies, limits applied")
print()
print("| policy | subject | eligible | total fen | granted (after limits) | granted fen |")
print("|---|---|---|---|---|---|")
for p in c["policies"]:
    print(f"| {p['policy']} | {p['subject']} | {p['eligible']:,} | {p['total_fen']:,} | "
          f"{p['granted']:,} | {p['granted_fen']:,} |")
print()
print(f"load (three CSVs, every column the catalogue reads → frames) {cs['load']:.3f} s "
      f"(hires {cs['load_hire']:.3f}, persons {cs['load_person']:.3f}, "
      f"enterprises {cs['load_enterprise']:.3f}); compute, best of {len(cs['compute_runs'])}: "
      f"{cs['compute']:.3f} s (evaluation alone {cs['compute_evaluate']:.3f} s, the rest the "
      f"limits); end to end (set-up + load + compute) {cs['end_to_end']:.3f} s")
EOF
exit $status
