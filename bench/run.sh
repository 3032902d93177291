#!/usr/bin/env bash
# bench/run.sh — the timed runs of `make bench`, each printing its measurement
# and the target it is held to. Timings are wall-clock on this machine; run
# on an idle machine for numbers worth comparing.
set -u
B=${B:-build}
TFC=$PWD/$B/tfc
rc=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ms() { date +%s%N; }

echo "== parse throughput (target: median >= 220 MB/s, memory <= 4x input, on the generated configuration)"
python3 bench/gen_config.py 20000 >"$tmp/big.tf"
BENCH_MIN_MBS=220 BENCH_MAX_RSS=4 BENCH_LABEL="generated configuration" "$B/bench/parse_bench" "$tmp/big.tf" || rc=1
BENCH_LABEL="conformance set" "$B/bench/parse_bench" tests/hcl/conformance/*.tf || rc=1
# hand-written configurations of real shape (up to 340 lines), the kind of file
# the 11 MB/s figure for HashiCorp's parser was measured on
c=tests/hcl/conformance
BENCH_LABEL="realistic files" "$B/bench/parse_bench" $c/20[2-9]-*.tf $c/21?-*.tf $c/22[0-4]-*.tf $c/25[0-2]-*.tf || rc=1

echo "== tfc validate, whole process (target < 5 ms for the sample)"
s=samples/sagemaker-endpoint-versioned
n=50
t0=$(ms)
for _ in $(seq $n); do (cd "$s" && "$TFC" validate -no-color >/dev/null 2>&1); done
t1=$(ms)
echo "validate of the sample: $(( (t1 - t0) / n / 1000 )) us per run (average of $n)"

echo "== tfc validate, 10,000 resources in 100 modules (target < 300 ms)"
python3 bench/gen_modules.py "$tmp/mods" 100 100
t0=$(ms)
(cd "$tmp/mods" && "$TFC" validate -no-color >/dev/null 2>&1) || { echo "validate failed"; rc=1; }
t1=$(ms)
echo "validate of 10,000 resources: $(( (t1 - t0) / 1000000 )) ms"

if [ -x "$B/bench/eval_bench" ]; then
  echo "== evaluation (target: 1,000,000-element for and 100,000 templates, each < 1 s)"
  "$B/bench/eval_bench" || rc=1
fi
echo "== plan_bench (tfc plan, 10,000 resources: target < 1 s, < 500 MB; 100,000: within 12x)"
bash bench/plan_bench.sh "$TFC" || rc=1
echo "== fmt_bench (tfc fmt -check -recursive, 2,000 generated files; target < 200 ms)"
bash bench/fmt_bench.sh "$B/tfc" 2000 || rc=1
exit $rc
