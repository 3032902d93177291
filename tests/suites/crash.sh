#!/usr/bin/env bash
# tests/suites/crash.sh — tfc killed with SIGKILL at random moments during
# applies and destroys never leaves a state (or simulated world) that fails
# to load, and the next run converges: no orphaned and no duplicated objects.
set -u
ROOT=${TFC_ROOT:-$PWD}
TFC=${TFC:-$ROOT/build/tfc}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ok() { echo "ok - crash/$1"; }
fail() { echo "FAIL - crash/$1: $2"; }
KILLS=${CRASH_KILLS:-50}
# Under the sanitizers every run is several times slower, so fewer kills
# cover the same ground (make check); the plain build does all 50.
case "${B:-build}" in *asan*) KILLS=${CRASH_KILLS:-20} ;; esac
export TFC_SIM_SEED=7 TF_WORKSPACE=prod
cp -r "$ROOT/samples/sagemaker-endpoint-versioned" "$WORK/s"
cd "$WORK/s" || exit 1
"$TFC" workspace new prod >/dev/null 2>&1
args=(-auto-approve -no-color -var-file=environments/prod.tfvars)

# How long a full apply takes here: kills land anywhere inside it.
t0=$(date +%s%N)
"$TFC" apply "${args[@]}" >/dev/null 2>&1
t1=$(date +%s%N)
"$TFC" destroy "${args[@]}" >/dev/null 2>&1
span=$(( (t1 - t0) / 1000 + 1000 ))   # microseconds
unreadable=0
for i in $(seq "$KILLS"); do
  if [ $((i % 4)) = 0 ]; then cmd=destroy; else cmd=apply; fi
  "$TFC" "$cmd" "${args[@]}" >/dev/null 2>&1 &
  pid=$!
  sleep "$(awk -v r=$RANDOM -v s=$span 'BEGIN { printf "%.6f", (r / 32767.0) * s / 1e6 }')"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  if ! "$TFC" state list >/dev/null 2>"$WORK/err"; then unreadable=$((unreadable + 1)); cat "$WORK/err" >&2; fi
  if ! "$TFC" sim status >/dev/null 2>"$WORK/err"; then unreadable=$((unreadable + 1)); cat "$WORK/err" >&2; fi
done
[ "$unreadable" = 0 ] && ok "state-and-world-always-load-after-$KILLS-kills" || fail state-and-world-always-load "$unreadable unreadable"

# The next apply converges; a plan after it has nothing to do. An operation
# cut off mid-wait (an endpoint still Creating) finishes in AWS while nobody
# watches: let some simulated time pass first, as real time would.
"$TFC" sim advance 30m >/dev/null 2>&1
"$TFC" apply "${args[@]}" >"$WORK/final.out" 2>&1 || { fail converge "$(grep -v 'Still ' "$WORK/final.out" | grep -A6 -E '^(Error|Warning)' | head -30 | tr '\n' '|')"; exit 0; }
ok converge
"$TFC" plan -detailed-exitcode "${args[@]:1}" >"$WORK/plan.out" 2>&1
rc=$?
[ $rc = 0 ] && ok no-changes-after-converge || fail no-changes-after-converge "rc=$rc $(grep '#' "$WORK/plan.out" | head -5 | tr '\n' '|')"

# World and state hold the same objects: no orphans, no duplicates.
"$TFC" sim status -json >"$WORK/w.json" 2>&1
"$TFC" state pull >"$WORK/s.json" 2>&1
python3 - "$WORK/w.json" "$WORK/s.json" <<'PY' && ok world-matches-state || fail world-matches-state "see above"
import json, sys
w = json.load(open(sys.argv[1])); s = json.load(open(sys.argv[2]))
def names(svc, key, field):
    v = w.get(svc, {}).get(key, [])
    items = v.values() if isinstance(v, dict) else v
    out = []
    for it in items:
        out.append(it.get(field) if isinstance(it, dict) else it)
    return sorted(str(x) for x in out)
state = {}
for r in s["resources"]:
    for i in r["instances"]:
        if "deposed" in i: state.setdefault("deposed", []).append(r["type"])
        state.setdefault(r["type"], []).append(i["attributes"])
problems = []
if state.get("deposed"): problems.append(f"deposed objects left: {state['deposed']}")
for svc, key, ty in [("sagemaker", "models", "aws_sagemaker_model"), ("sagemaker", "endpoint_configs", "aws_sagemaker_endpoint_configuration"),
                     ("sagemaker", "endpoints", "aws_sagemaker_endpoint"), ("iam", "roles", "aws_iam_role"), ("sns", "topics", "aws_sns_topic")]:
    n_world = len(w.get(svc, {}).get(key, []))
    n_state = len(state.get(ty, []))
    if n_world != n_state: problems.append(f"{key}: {n_world} in the world, {n_state} in the state")
if problems:
    print("\n".join(problems)); sys.exit(1)
PY
