#!/usr/bin/env bash
# The golden cases of the built-in functions (tests/functions/*.txt), run by
# the fntest tool straight against fn_call. One "ok"/"FAIL" line per case.
set -u
B=${B:-build}
exec "$B/tools/fntest" tests/functions
