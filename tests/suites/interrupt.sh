#!/usr/bin/env bash
# tests/suites/interrupt.sh — Ctrl-C during apply: the first interrupt lets
# the operation in progress finish and be recorded, starts nothing more and
# ends in "execution halted"; a second exits at once. Either way the state
# loads and the next apply converges. The simulator's api_latency_ms knob
# makes each API call take real time, so the signal lands mid-apply.
set -u
ROOT=${TFC_ROOT:-$PWD}
TFC=${TFC:-$ROOT/build/tfc}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ok() { echo "ok - interrupt/$1"; }
fail() { echo "FAIL - interrupt/$1: $2"; }

cp -r "$ROOT/samples/sagemaker-endpoint-versioned" "$WORK/s"
cd "$WORK/s" || exit 1
args=(-auto-approve -no-color -var-file=environments/prod.tfvars)

# waits (up to 20 s) until the apply has started creating
started() {
  for _ in $(seq 400); do
    grep -q 'Creation complete' "$1" 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}

converges() {
  "$TFC" apply "${args[@]}" >"$WORK/re" 2>&1 || { echo "re-apply failed: $(tail -3 "$WORK/re")"; return; }
  "$TFC" plan -no-color -detailed-exitcode -var-file=environments/prod.tfvars >"$WORK/pl" 2>&1 \
    || echo "plan after re-apply: $(grep '^  #' "$WORK/pl" | head -3)"
}

TFC_SIM_KNOBS=api_latency_ms=50 "$TFC" apply "${args[@]}" >"$WORK/out" 2>&1 &
pid=$!
started "$WORK/out"
kill -INT "$pid"
wait "$pid"; rc=$?
n=$("$TFC" state list 2>/dev/null | wc -l)
if [ $rc = 1 ] && grep -q '^Interrupt received.$' "$WORK/out" && grep -q '^Gracefully shutting down...$' "$WORK/out" \
   && grep -q '^Error: execution halted$' "$WORK/out" && [ "$n" -gt 0 ] && [ "$n" -lt 10 ] \
   && ! grep -q 'Apply complete' "$WORK/out"; then
  ok graceful-stop
else fail graceful-stop "rc=$rc state=$n $(tail -4 "$WORK/out" | tr '\n' '|')"; fi
why=$(converges); [ -z "$why" ] && ok converges-after-graceful-stop || fail converges-after-graceful-stop "$why"

"$TFC" destroy "${args[@]}" >/dev/null 2>&1
TFC_SIM_KNOBS=api_latency_ms=50 "$TFC" apply "${args[@]}" >"$WORK/out" 2>"$WORK/err" &
pid=$!
started "$WORK/out"
kill -INT "$pid"; sleep 0.01; kill -INT "$pid"
wait "$pid"; rc=$?
if [ $rc = 1 ] && grep -q '^Two interrupts received. Exiting immediately. Note that data loss may have occurred.$' "$WORK/err" \
   && "$TFC" state list >/dev/null 2>&1; then
  ok second-interrupt-exits
else fail second-interrupt-exits "rc=$rc $(tail -3 "$WORK/err" | tr '\n' '|')"; fi
why=$(converges); [ -z "$why" ] && ok converges-after-abort || fail converges-after-abort "$why"
