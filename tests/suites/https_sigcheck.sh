#!/usr/bin/env bash
# tests/suites/https_sigcheck.sh — what the HTTPS transport puts on the
# wire is signed correctly: tests/sigv4/verify_server.py re-signs every
# request it receives with botocore and refuses any mismatch, for each wire
# protocol, with a session token. Loopback only; stops the server on exit.
set -u
B=${B:-build}
tool="$B/tools/https_sigcheck"
if ! python3 -c 'import botocore' 2>/dev/null; then
  echo "ok - https/sigcheck skipped: python3 with botocore not found"
  exit 0
fi
[ -x "$tool" ] || { echo "FAIL - https/sigcheck: $tool not built"; exit 0; }
tmp=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
python3 tests/sigv4/verify_server.py "$tmp/port" AKIDSIGCHECK 'sec/ret+key=' 'session/token+==' \
  >"$tmp/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do [ -s "$tmp/port" ] && break; sleep 0.1; done
if [ ! -s "$tmp/port" ]; then
  echo "FAIL - https/sigcheck: verify_server.py did not start: $(tail -3 "$tmp/server.log" | tr '\n' ' ')"
  exit 0
fi
env -i PATH="$PATH" HOME="$tmp" AWS_ENDPOINT_URL="http://127.0.0.1:$(cat "$tmp/port")" \
  AWS_ACCESS_KEY_ID=AKIDSIGCHECK AWS_SECRET_ACCESS_KEY='sec/ret+key=' AWS_SESSION_TOKEN='session/token+==' \
  AWS_REGION=eu-west-1 ${ASAN_OPTIONS:+ASAN_OPTIONS="$ASAN_OPTIONS"} ${UBSAN_OPTIONS:+UBSAN_OPTIONS="$UBSAN_OPTIONS"} \
  "$tool"
rc=$?
[ "$rc" -eq 0 ] || echo "FAIL - https/sigcheck: $tool exited with status $rc"
exit 0
