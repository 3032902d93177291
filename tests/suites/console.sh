#!/usr/bin/env bash
# tests/suites/console.sh — golden tests of `tfc console` through the binary.
# Each tests/console/NAME.case holds the piped input, then optional sections:
#   --- stdout   the exact standard output
#   --- stderr   lines that must each appear in standard error
#   --- exit N   the exit status
set -u
cd "${TFC_ROOT:-.}"
TFC=${TFC:-./tfc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for c in tests/console/*.case; do
  name=$(basename "$c" .case)
  awk -v d="$tmp" '
    /^--- stdout$/ {sec="stdout"; next}
    /^--- stderr$/ {sec="stderr"; next}
    /^--- exit / {print $3 > (d "/exit"); sec="none"; next}
    { f = (sec == "") ? "input" : sec; if (f != "none") print > (d "/" f) }
  ' "$c"
  touch "$tmp/input" "$tmp/stdout" "$tmp/stderr"
  [ -f "$tmp/exit" ] || echo 0 > "$tmp/exit"
  "$TFC" console -no-color < "$tmp/input" > "$tmp/got.out" 2> "$tmp/got.err"
  rc=$?
  why=""
  [ "$rc" = "$(cat "$tmp/exit")" ] || why="exit status $rc, want $(cat "$tmp/exit")"
  if [ -z "$why" ] && ! cmp -s "$tmp/stdout" "$tmp/got.out"; then
    why="stdout differs: $(diff "$tmp/stdout" "$tmp/got.out" | head -5 | tr '\n' ' ')"
  fi
  if [ -z "$why" ]; then
    while IFS= read -r line; do
      grep -qF -- "$line" "$tmp/got.err" || { why="stderr lacks: $line"; break; }
    done < "$tmp/stderr"
  fi
  if [ -z "$why" ]; then echo "ok - console/$name"; else echo "FAIL - console/$name: $why"; fi
  rm -f "$tmp"/*
done
