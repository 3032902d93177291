#!/usr/bin/env bash
# tests/suites/target.sh — -target on plan, apply (direct and saved) and
# destroy: the targets and their dependencies (when destroying, their
# dependents), the outputs that read only those, Terraform's warnings.
set -u
ROOT=${TFC_ROOT:-$PWD}
TFC=${TFC:-$ROOT/build/tfc}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ok() { echo "ok - target/$1"; }
fail() { echo "FAIL - target/$1: $2"; }

cp -r "$ROOT/samples/sagemaker-endpoint-versioned" "$WORK/s"
cd "$WORK/s" || exit 1
V=-var-file=environments/prod.tfvars
T="-target=module.inference.aws_iam_role_policy.model_access -target=aws_sns_topic.alerts"

out=$("$TFC" plan -no-color $V $T 2>&1); rc=$?
heads=$(grep '^  # ' <<<"$out" | tr '\n' '|')
want='  # aws_sns_topic.alerts will be created|  # module.inference.aws_iam_role.sagemaker_execution will be created|  # module.inference.aws_iam_role_policy.model_access will be created|'
if [ $rc = 0 ] && [ "$heads" = "$want" ] && grep -q '^Plan: 3 to add, 0 to change, 0 to destroy.$' <<<"$out" \
   && grep -q '^Warning: Resource targeting is in effect$' <<<"$out" \
   && grep -q '^  + alert_topic_arn    = (known after apply)$' <<<"$out" && ! grep -q 'endpoint_arn' <<<"$out"; then
  ok plan-targets-and-dependencies
else fail plan-targets-and-dependencies "rc=$rc $heads"; fi

"$TFC" plan -no-color $V $T -out=t.tfplan >/dev/null 2>&1
c=$("$TFC" show -json t.tfplan | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["complete"], len(d["resource_changes"]))')
[ "$c" = "False 3" ] && ok show-json-incomplete || fail show-json-incomplete "$c"

out=$("$TFC" apply -no-color t.tfplan 2>&1); rc=$?
if [ $rc = 0 ] && grep -q '^Apply complete! Resources: 3 added, 0 changed, 0 destroyed.$' <<<"$out" \
   && grep -q '^Warning: Applied changes may be incomplete$' <<<"$out" && [ "$("$TFC" state list | wc -l)" = 3 ] \
   && [ "$("$TFC" output -json | python3 -c 'import json,sys; print(sorted(json.load(sys.stdin)))')" = "['alert_topic_arn', 'execution_role_arn']" ]; then
  ok apply-saved-targeted-plan
else fail apply-saved-targeted-plan "rc=$rc $(tail -4 <<<"$out" | tr '\n' '|') $("$TFC" output -json)"; fi

out=$("$TFC" apply -auto-approve -no-color $V 2>&1); rc=$?
if [ $rc = 0 ] && grep -q '^Apply complete! Resources: 7 added, 0 changed, 0 destroyed.$' <<<"$out"; then ok rest-applies
else fail rest-applies "rc=$rc $(tail -3 <<<"$out")"; fi

# destroying a target takes everything that depends on it along
out=$("$TFC" destroy -auto-approve -no-color $V -target=module.inference.aws_iam_role.sagemaker_execution 2>&1); rc=$?
left=$("$TFC" state list | tr '\n' ' ')
if [ $rc = 0 ] && grep -q '^Destroy complete! Resources: 8 destroyed.$' <<<"$out" \
   && [ "$left" = "aws_sns_topic.alerts module.inference.aws_cloudwatch_metric_alarm.endpoint_errors " ]; then
  ok destroy-target-and-dependents
else fail destroy-target-and-dependents "rc=$rc left: $left $(tail -3 <<<"$out" | tr '\n' '|')"; fi

out=$("$TFC" plan -no-color $V -target='aws_sns_topic.[' 2>&1); rc=$?
if [ $rc = 1 ] && grep -q '^Error: Invalid target address$' <<<"$out" && grep -q 'Invalid target "aws_sns_topic.\["' <<<"$out"; then
  ok invalid-target
else fail invalid-target "rc=$rc $(head -5 <<<"$out")"; fi
