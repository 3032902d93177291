#!/usr/bin/env bash
# bench/plan_bench.sh TFC — `tfc plan` of a generated configuration of 10,000
# resources against a state and a simulated AWS of the same size (target:
# < 1 s wall, < 500 MB peak RSS), then of 100,000 (target: within 12x of the
# 10,000 time). Prints best and median of the runs; exits 1 if a target is missed.
set -u
TFC=$1
R10=${PLAN_BENCH_RUNS:-5}
R100=${PLAN_BENCH_RUNS_100K:-2}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rc=0

bench() { # DIR N RUNS -> "BEST MEDIAN PEAK_MB"
  python3 "$here/gen_plan.py" "$1" "$2" || return 1
  # the plan must be the one the generator describes, or the timing means nothing
  out=$(cd "$1" && "$TFC" plan -no-color 2>&1)
  if ! grep -q '^Plan: 10 to add, 3 to change, 0 to destroy\.$' <<<"$out"; then
    echo "unexpected plan for $2 resources: $(grep -m1 -E '^(Plan|Error|No changes)' <<<"$out")" >&2
    return 1
  fi
  (cd "$1" && python3 "$here/measure.py" "$3" "$TFC" plan -no-color)
}

if ! m10=$(bench "$tmp/p10k" 10000 "$R10"); then echo "plan of 10,000 resources failed"; exit 1; fi
read -r best10 med10 peak10 <<<"$m10"
echo "plan, 10,000 resources: best ${best10} s, median ${med10} s of $R10 runs, peak RSS ${peak10} MB"
awk -v t="$best10" 'BEGIN { exit !(t < 1.0) }' || { echo "  over the 1 s target"; rc=1; }
[ "$peak10" -lt 500 ] || { echo "  over the 500 MB target"; rc=1; }
rm -rf "$tmp/p10k"

if ! m100=$(bench "$tmp/p100k" 100000 "$R100"); then echo "plan of 100,000 resources failed"; exit 1; fi
read -r best100 med100 peak100 <<<"$m100"
ratio=$(awk -v a="$best100" -v b="$best10" 'BEGIN { printf "%.1f", a / b }')
echo "plan, 100,000 resources: best ${best100} s, median ${med100} s of $R100 runs, peak RSS ${peak100} MB; ${ratio}x the 10,000 time"
awk -v r="$ratio" 'BEGIN { exit !(r <= 12) }' || { echo "  more than 12x the 10,000 time"; rc=1; }
exit $rc
