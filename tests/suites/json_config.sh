#!/usr/bin/env bash
# tests/suites/json_config.sh — .tf.json configurations: the versioned sample
# written in JSON (tests/json/sample) plans, applies and converges exactly as
# the native sample does, and the JSON forms (labels as keys, nested and
# dynamic blocks by schema, templates, expression strings) evaluate.
set -u
ROOT=${TFC_ROOT:-$PWD}
TFC=${TFC:-$ROOT/build/tfc}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ok() { echo "ok - json_config/$1"; }
fail() { echo "FAIL - json_config/$1: $2"; }

cp -r "$ROOT/samples/sagemaker-endpoint-versioned" "$WORK/hcl"
cp -r "$ROOT/tests/json/sample" "$WORK/json"
cp -r "$ROOT/samples/sagemaker-endpoint-versioned/environments" "$WORK/json/" 2>/dev/null

for env in dev prod; do
  # the plan itself; dev's warnings name different files and lines
  a=$(cd "$WORK/hcl" && "$TFC" plan -no-color -var-file=environments/$env.tfvars 2>/dev/null); ra=$?
  b=$(cd "$WORK/json" && "$TFC" plan -no-color -var-file=environments/$env.tfvars 2>/dev/null); rb=$?
  a=$(sed '/^Warning: /,$d' <<<"$a"); b=$(sed '/^Warning: /,$d' <<<"$b")
  if [ $ra = 0 ] && [ $rb = 0 ] && [ "$a" = "$b" ] && grep -q '^Plan: 10 to add' <<<"$b"; then ok "plan-equals-native-$env"
  else fail "plan-equals-native-$env" "rc $ra/$rb $(diff <(echo "$a") <(echo "$b") | head -5 | tr '\n' '|')"; fi
done

# dev's warnings point into the JSON files, at the attribute
out=$(cd "$WORK/json" && "$TFC" validate -no-color -var-file=environments/dev.tfvars 2>&1)
if grep -q 'on inference/autoscaling.tf.json line [0-9]*, in resource "aws_appautoscaling_target" "endpoint":' <<<"$out"; then
  ok validate-warning-in-json
else fail validate-warning-in-json "$(head -8 <<<"$out" | tr '\n' '|')"; fi

V=-var-file=environments/prod.tfvars
(cd "$WORK/hcl" && "$TFC" apply -auto-approve -no-color $V >/dev/null 2>&1)
out=$(cd "$WORK/json" && "$TFC" apply -auto-approve -no-color $V 2>&1); rc=$?
strip() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d.pop("lineage"); print(json.dumps(d, sort_keys=True))' "$1"; }
if [ $rc = 0 ] && [ "$(strip "$WORK/hcl/terraform.tfstate")" = "$(strip "$WORK/json/terraform.tfstate")" ]; then ok apply-state-equals-native
else fail apply-state-equals-native "rc=$rc $(tail -3 <<<"$out" | tr '\n' '|')"; fi
out=$(cd "$WORK/json" && "$TFC" plan -no-color -detailed-exitcode $V 2>&1); rc=$?
if [ $rc = 0 ] && grep -q '^No changes. Your infrastructure matches the configuration.' <<<"$out"; then ok converges
else fail converges "rc=$rc $(tail -3 <<<"$out")"; fi

# the forms of tests/validate/json-valid, evaluated
cp -r "$ROOT/tests/validate/json-valid" "$WORK/forms"
out=$(cd "$WORK/forms" && AWS_REGION=us-east-1 "$TFC" plan -no-color 2>&1); rc=$?
want=(
  '  # aws_sns_topic.t[1] will be created'
  '      + name                        = "svc-default-b"'
  '      + production_variants {'
  '          + variant_name           = "b"'
  '  + cfg      = "cfg"'
  '  + greeting = "hello a hello b "'
  '  + plain    = "100%% literal ${not_a_reference}"'
  'Plan: 3 to add, 0 to change, 0 to destroy.'
)
bad=""
for w in "${want[@]}"; do grep -qxF -- "$w" <<<"$out" || bad="missing: $w"; done
if [ $rc = 0 ] && [ -z "$bad" ]; then ok forms-evaluate; else fail forms-evaluate "rc=$rc $bad"; fi
