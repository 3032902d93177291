#!/usr/bin/env bash
# Replays every fuzz target's corpus (tests/fuzz/corpus/NAME/) through its
# replay build, so crashes found by fuzzing stay fixed. Under `make check`
# this runs with the sanitizers.
set -u
B=${B:-build}
for bin in "$B"/replay/fuzz_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin"); name=${name#fuzz_}
  dir=tests/fuzz/corpus/$name
  [ -d "$dir" ] || { echo "FAIL - fuzz/$name: no corpus in $dir"; continue; }
  if out=$(find "$dir" -type f -print0 | xargs -0 timeout 300 "$bin" 2>&1); then
    echo "ok - fuzz/$name ($(find "$dir" -type f | wc -l) inputs)"
  else
    echo "FAIL - fuzz/$name: $(echo "$out" | tail -5 | tr '\n' ' ')"
  fi
done
