#!/usr/bin/env bash
# tests/suites/parallel.sh — the walk runs independent operations
# concurrently: two endpoints (the versioned sample's module, twice) are
# created and destroyed side by side, so the simulated time of the apply is
# one endpoint's, its critical path; with -parallelism=1 it is two.
set -u
ROOT=${TFC_ROOT:-$PWD}
TFC=${TFC:-$ROOT/build/tfc}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ok() { echo "ok - parallel/$1"; }
fail() { echo "FAIL - parallel/$1: $2"; }

cp -r "$ROOT/samples/sagemaker-endpoint-versioned" "$WORK/p"
cd "$WORK/p" || exit 1
python3 - <<'PY'
s = open('main.tf').read()
s = s.replace('''  source = "./inference"

  environment                     = local.environment''', '''  source   = "./inference"
  for_each = toset(["a", "b"])

  environment                     = "${local.environment}-${each.key}"''')
s = s.replace('service_name                    = var.service_name', 'service_name                    = "${each.key}-${var.service_name}"')
open('main.tf', 'w').write(s)
o = open('outputs.tf').read().replace('module.inference.', 'module.inference["a"].')
open('outputs.tf', 'w').write(o)
PY
V=-var-file=environments/prod.tfvars
now() { "$TFC" sim call sim Now '{}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["Now"])'; }

t0=$(now); out=$("$TFC" apply -auto-approve -no-color $V 2>&1); rc=$?; t1=$(now)
n=$(grep -c 'aws_sagemaker_endpoint.this: Creation complete after 8m0s' <<<"$out")
# the two endpoints' progress lines interleave, 10 s apart
inter=$(grep 'Still creating... \[10s elapsed\]' <<<"$out" | grep -c 'aws_sagemaker_endpoint.this')
if [ $rc = 0 ] && [ "$n" = 2 ] && [ $((t1 - t0)) = 480 ] && [ "$inter" = 2 ]; then ok apply-critical-path
else fail apply-critical-path "rc=$rc endpoints=$n simulated=$((t1 - t0))s $(tail -3 <<<"$out" | tr '\n' '|')"; fi

t0=$(now); out=$("$TFC" destroy -auto-approve -no-color $V 2>&1); rc=$?; t1=$(now)
if [ $rc = 0 ] && [ "$(grep -c 'aws_sagemaker_endpoint.this: Destruction complete after 2m0s' <<<"$out")" = 2 ] \
   && [ $((t1 - t0)) = 120 ]; then ok destroy-critical-path
else fail destroy-critical-path "rc=$rc simulated=$((t1 - t0))s"; fi

t0=$(now); out=$("$TFC" apply -auto-approve -no-color -parallelism=1 $V 2>&1); rc=$?; t1=$(now)
if [ $rc = 0 ] && [ $((t1 - t0)) = 960 ]; then ok parallelism-1-is-sequential
else fail parallelism-1-is-sequential "rc=$rc simulated=$((t1 - t0))s"; fi

out=$("$TFC" apply -auto-approve -no-color -parallelism=0 $V 2>&1); rc=$?
if [ $rc = 1 ] && grep -q '^Error: Invalid parallelism value$' <<<"$out"; then ok parallelism-0-refused
else fail parallelism-0-refused "rc=$rc $out"; fi
