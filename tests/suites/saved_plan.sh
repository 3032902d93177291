#!/usr/bin/env bash
# tests/suites/saved_plan.sh — plan -out, show PLANFILE, apply PLANFILE and
# every way a saved plan is refused (variables given, state changed, files
# changed, the world changed, not a plan file).
set -u
ROOT=${TFC_ROOT:-$PWD}
TFC=${TFC:-$ROOT/build/tfc}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ok() { echo "ok - saved_plan/$1"; }
fail() { echo "FAIL - saved_plan/$1: $2"; }

cp -r "$ROOT/samples/sagemaker-endpoint-versioned" "$WORK/s"
cd "$WORK/s" || exit 1
export TF_WORKSPACE=prod
"$TFC" workspace new prod >/dev/null 2>&1
V=-var-file=environments/prod.tfvars

out=$("$TFC" plan -no-color $V -out=prod.tfplan 2>&1); rc=$?
if [ $rc = 0 ] && [ -s prod.tfplan ] && grep -q '^Saved the plan to: prod.tfplan$' <<<"$out" \
   && grep -qF 'terraform apply "prod.tfplan"' <<<"$out" && ! grep -q "didn't use the -out option" <<<"$out"; then
  ok plan-out
else fail plan-out "rc=$rc $(tail -5 <<<"$out")"; fi

# show PLANFILE prints the plan as plan did; -json gives format 1.2
plan_body=$(sed -n '/^Terraform used/,/^Plan: /p' <<<"$out")
shown=$("$TFC" show -no-color prod.tfplan 2>&1)
if [ -n "$plan_body" ] && [ "$(sed -n '/^Terraform used/,/^Plan: /p' <<<"$shown")" = "$plan_body" ]; then ok show-planfile
else fail show-planfile "$(head -5 <<<"$shown")"; fi
if "$TFC" show -json prod.tfplan | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["format_version"]=="1.2"; assert len(d["resource_changes"])==10, len(d["resource_changes"])'; then
  ok show-json-planfile
else fail show-json-planfile "not a 1.2 plan with 10 changes"; fi

out=$("$TFC" apply -no-color $V prod.tfplan 2>&1); rc=$?
if [ $rc = 1 ] && grep -q "Error: Can't set variables when applying a saved plan" <<<"$out"; then ok planfile-rejects-vars
else fail planfile-rejects-vars "rc=$rc $out"; fi

# a changed file makes the plan stale before anything is touched
cp main.tf main.tf.orig
printf '\n# a comment\n' >> main.tf
out=$("$TFC" apply -no-color prod.tfplan 2>&1); rc=$?
if [ $rc = 1 ] && grep -q "Error: Saved plan is stale" <<<"$out" && grep -q "configuration or a variables file changed" <<<"$out" \
   && [ -z "$("$TFC" state list 2>/dev/null)" ]; then ok stale-config
else fail stale-config "rc=$rc $out"; fi
mv main.tf.orig main.tf

# applied without a prompt (stdin closed), variables from the plan file
out=$("$TFC" apply -no-color prod.tfplan </dev/null 2>&1); rc=$?
if [ $rc = 0 ] && grep -q "Apply complete! Resources: 10 added, 0 changed, 0 destroyed." <<<"$out" \
   && grep -q '^endpoint_name = "prod-fraud-detector-v2"$' <<<"$out" && ! grep -q "Do you want to perform" <<<"$out"; then
  ok apply-planfile
else fail apply-planfile "rc=$rc $(tail -5 <<<"$out")"; fi

# the state has moved on: the same file is now stale
out=$("$TFC" apply -no-color prod.tfplan 2>&1); rc=$?
if [ $rc = 1 ] && grep -q "Error: Saved plan is stale" <<<"$out" \
   && grep -q "can no longer be applied because the state was changed" <<<"$out"; then ok stale-state
else fail stale-state "rc=$rc $out"; fi

# the world changed after the plan: refused, and nothing is applied
"$TFC" plan -no-color $V -var=latency_threshold_ms=750 -out=update.tfplan >/dev/null 2>&1
"$TFC" sim call sns DeleteTopic '{"TopicArn":"arn:aws:sns:us-east-1:123456789012:prod-inference-alerts"}' >/dev/null
serial=$(python3 -c 'import json; print(json.load(open("terraform.tfstate.d/prod/terraform.tfstate"))["serial"])')
out=$("$TFC" apply -no-color update.tfplan 2>&1); rc=$?
serial2=$(python3 -c 'import json; print(json.load(open("terraform.tfstate.d/prod/terraform.tfstate"))["serial"])')
if [ $rc = 1 ] && grep -q "objects in AWS changed after the plan was created" <<<"$out" && [ "$serial" = "$serial2" ]; then
  ok stale-world
else fail stale-world "rc=$rc serial $serial->$serial2 $out"; fi

# -markdown: a summary, a table of actions, each change in a <details> with
# the diff marker in column 0 for GitHub's highlighter
out=$("$TFC" show -markdown update.tfplan 2>&1); rc=$?
if [ $rc = 0 ] && [ "$(head -1 <<<"$out")" = "### Plan: 0 to add, 1 to change, 0 to destroy" ] \
   && grep -qxF '| update in-place | `module.inference.aws_cloudwatch_metric_alarm.endpoint_latency` |' <<<"$out" \
   && grep -qF '<details><summary><code>module.inference.aws_cloudwatch_metric_alarm.endpoint_latency</code>: update in-place</summary>' <<<"$out" \
   && grep -qx '!        threshold *= 500000 -> 750000' <<<"$out" && [ "$(grep -c '^```diff$' <<<"$out")" = "$(grep -c '^</details>$' <<<"$out")" ]; then
  ok show-markdown
else fail show-markdown "rc=$rc $(head -20 <<<"$out")"; fi
out=$("$TFC" show -markdown 2>&1); rc=$?
if [ $rc = 1 ] && grep -q "Error: -markdown needs a saved plan" <<<"$out"; then ok show-markdown-needs-plan
else fail show-markdown-needs-plan "rc=$rc $out"; fi

# a destroy plan saved and applied (the topic deleted outside tfc above is
# found gone by the refresh, so 9 objects remain to destroy)
out=$("$TFC" plan -no-color -destroy $V -out=destroy.tfplan 2>&1); rc=$?
out=$("$TFC" apply -no-color destroy.tfplan 2>&1); rc2=$?
if [ $rc = 0 ] && [ $rc2 = 0 ] && grep -q "Apply complete! Resources: 0 added, 0 changed, 9 destroyed." <<<"$out" \
   && [ -z "$("$TFC" state list 2>/dev/null)" ]; then ok destroy-planfile
else fail destroy-planfile "rc=$rc/$rc2 $(tail -5 <<<"$out" | tr '\n' '|') state: $("$TFC" state list 2>&1 | tr '\n' ' ')"; fi

echo 'not a plan' > bogus.tfplan
out=$("$TFC" apply -no-color bogus.tfplan 2>&1); rc=$?
if [ $rc = 1 ] && grep -q "Error: Failed to load plan file" <<<"$out"; then ok not-a-planfile
else fail not-a-planfile "rc=$rc $out"; fi
out=$("$TFC" show -no-color missing.tfplan 2>&1); rc=$?
if [ $rc = 1 ] && grep -q "Error: Failed to load plan file" <<<"$out"; then ok show-missing-planfile
else fail show-missing-planfile "rc=$rc $out"; fi
