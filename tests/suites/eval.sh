#!/usr/bin/env bash
# tests/suites/eval.sh — expression golden tests: every tests/eval/*.txt case
# (expression => value as `terraform console` prints it, or the error summary),
# run by tests/tools/evaltest.c. See tests/eval/README.md.
set -u
B=${B:-build}
cd "${TFC_ROOT:-.}"
exec "$B/tools/evaltest" -vars tests/eval/vars.json tests/eval/*.txt
