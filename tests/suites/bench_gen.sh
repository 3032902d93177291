#!/usr/bin/env bash
# tests/suites/bench_gen.sh — bench/gen_plan.py writes the state and the
# simulated world without running tfc; check they are what `tfc apply` of the
# same configuration writes (except lineage and the random role ids), and
# that a plan over the generated directory is the one the benchmark expects.
set -u
ROOT=${TFC_ROOT:-$PWD}
TFC=${TFC:-$ROOT/build/tfc}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ok() { echo "ok - bench_gen/$1"; }
fail() { echo "FAIL - bench_gen/$1: $2"; }

python3 "$ROOT/bench/gen_plan.py" "$WORK/applied" 30 --config-only
python3 "$ROOT/bench/gen_plan.py" "$WORK/generated" 30 --exact
out=$(cd "$WORK/applied" && "$TFC" apply -auto-approve -no-color 2>&1); rc=$?
if [ $rc = 0 ] && grep -q '^Apply complete! Resources: 30 added' <<<"$out"; then ok apply
else fail apply "rc=$rc $(tail -3 <<<"$out")"; fi

strip() { grep -v -E '"(lineage|unique_id)":' "$1"; }
if diff <(strip "$WORK/applied/terraform.tfstate") <(strip "$WORK/generated/terraform.tfstate") >"$WORK/d" 2>&1; then
  ok state-matches-apply
else fail state-matches-apply "$(head -10 "$WORK/d")"; fi

if python3 - "$WORK/applied/.tfc/sim-world.json" "$WORK/generated/.tfc/sim-world.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for w in (a, b):
    w.pop("rng")
    for r in w["iam"]["roles"].values():
        r.pop("RoleId")
sys.exit(a != b)
PY
then ok world-matches-apply
else fail world-matches-apply "the generated world differs from the applied one"; fi

python3 "$ROOT/bench/gen_plan.py" "$WORK/bench" 100
out=$(cd "$WORK/bench" && "$TFC" plan -no-color 2>&1); rc=$?
if [ $rc = 0 ] && grep -q '^Plan: 10 to add, 3 to change, 0 to destroy\.$' <<<"$out" && ! grep -q 'changed outside' <<<"$out"; then
  ok plan-of-generated
else fail plan-of-generated "rc=$rc $(grep -m3 -E '^(Plan|Error|Note)' <<<"$out")"; fi
