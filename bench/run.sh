#!/usr/bin/env bash
# bench/run.sh — the timed runs of `make bench`, each printing its measurement.
set -u
B=${B:-build}
rc=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -x "$B/bench/parse_bench" ]; then
  echo "== parse_bench (generated configuration, 5000 resources)"
  python3 bench/gen_config.py 5000 > "$tmp/big.tf" && "$B/bench/parse_bench" "$tmp/big.tf" || rc=1
fi
if [ -x "$B/bench/eval_bench" ]; then
  echo "== eval_bench"
  "$B/bench/eval_bench" || rc=1
fi
exit $rc
