#!/usr/bin/env bash
# tests/suites/https_moto.sh — the HTTPS transport against moto.
#
# Starts moto_server on a free loopback port, points the transport at it
# (AWS_ENDPOINT_URL, dummy credentials, a throw-away HOME so no real
# ~/.aws is read), runs $B/tools/https_moto, and stops moto on any exit.
# HTTPS_MOTO_TOOL runs another build of the tool (e.g. a ThreadSanitizer one).
set -u
B=${B:-build}
tool="${HTTPS_MOTO_TOOL:-$B/tools/https_moto}"
if ! command -v moto_server >/dev/null 2>&1; then
  echo "ok - https/moto skipped: moto_server not found"
  exit 0
fi
[ -x "$tool" ] || { echo "FAIL - https/moto: $tool not built"; exit 0; }

tmp=$(mktemp -d)
moto_pid=""
cleanup() {
  if [ -n "$moto_pid" ]; then kill "$moto_pid" 2>/dev/null; wait "$moto_pid" 2>/dev/null; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
moto_server -H 127.0.0.1 -p "$port" >"$tmp/moto.log" 2>&1 &
moto_pid=$!
for _ in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port/moto-api/" && break
  kill -0 "$moto_pid" 2>/dev/null || break
  sleep 0.1
done
if ! curl -s -o /dev/null "http://127.0.0.1:$port/moto-api/"; then
  echo "FAIL - https/moto: moto_server did not start on port $port: $(tail -3 "$tmp/moto.log" | tr '\n' ' ')"
  exit 0
fi
echo "ok - https/moto/server-started"

run() {
  env -i PATH="$PATH" HOME="$tmp" \
    AWS_ENDPOINT_URL="http://127.0.0.1:$port" \
    AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_SESSION_TOKEN=testing \
    AWS_REGION=us-east-1 AWS_MAX_ATTEMPTS=3 ${ASAN_OPTIONS:+ASAN_OPTIONS="$ASAN_OPTIONS"} ${UBSAN_OPTIONS:+UBSAN_OPTIONS="$UBSAN_OPTIONS"} \
    "$@"
  local rc=$?
  [ "$rc" -eq 0 ] || echo "FAIL - https/moto: $1 exited with status $rc"
}
# the raw operations through the call interface
run "$tool"
# the AWS provider's resources through the transport (a fresh moto state is
# not needed: the first tool deleted everything it made)
ptool="${HTTPS_MOTO_PROVIDER_TOOL:-$B/tools/https_moto_provider}"
if [ -x "$ptool" ]; then run "$ptool"; else echo "FAIL - https/moto: $ptool not built"; fi
exit 0
