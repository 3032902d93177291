#!/usr/bin/env bash
# tests/run.sh — runs every test and prints "N passed, N failed".
#
# Each unit-test binary ($B/tests/test_*) and each suite script
# (tests/suites/*.sh) prints one line per case: "ok - NAME" or
# "FAIL - NAME: why". This script adds them up. A binary or suite that
# crashes or exits non-zero without printing a FAIL line counts as one
# failure, so a crash is never silent.
set -u
B=${B:-build}
export B
export TFC="$PWD/$B/tfc"
export TFC_ROOT="$PWD"
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run_one() {
  local name=$1; shift
  "$@" >"$log" 2>&1
  local rc=$?
  local p f
  p=$(grep -c '^ok - ' "$log")
  f=$(grep -c '^FAIL - ' "$log")
  grep '^FAIL - ' "$log"
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "FAIL - $name: exited with status $rc"
    tail -20 "$log"
    f=1
  fi
  printf '%-40s %5d passed, %d failed\n' "$name" "$p" "$f" >&2
  passed=$((passed + p))
  failed=$((failed + f))
}

for t in "$B"/tests/test_*; do
  [ -x "$t" ] || continue
  run_one "$(basename "$t")" "$t"
done
for s in tests/suites/*.sh; do
  [ -f "$s" ] || continue
  run_one "$(basename "$s" .sh)" bash "$s"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
