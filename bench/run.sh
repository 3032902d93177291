#!/usr/bin/env bash
# bench/run.sh — runs every benchmark program built from bench/*.c.
set -u
B=${B:-build}
rc=0
for b in "$B"/bench/*; do
  [ -x "$b" ] || continue
  echo "== $(basename "$b")"
  "$b" || rc=1
done
exit $rc
