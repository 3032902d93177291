#!/usr/bin/env bash
# tests/suites/refresh_only.sh — -refresh-only: the plan shows what changed
# outside tfc and nothing to do about it; applying it records what refresh
# read (an object deleted outside leaves the state) and touches no object.
set -u
ROOT=${TFC_ROOT:-$PWD}
TFC=${TFC:-$ROOT/build/tfc}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ok() { echo "ok - refresh_only/$1"; }
fail() { echo "FAIL - refresh_only/$1: $2"; }

cp -r "$ROOT/samples/sagemaker-endpoint-versioned" "$WORK/s"
cd "$WORK/s" || exit 1
V=-var-file=environments/prod.tfvars
"$TFC" apply -auto-approve -no-color $V >/dev/null 2>&1

# drift a plan does not depend on stays out of it: the role's inline_policy
# (filled in once the role policy exists) is read by nothing that changes
out=$("$TFC" plan -no-color $V -var latency_threshold_ms=700 -out=r.tfplan 2>&1); rc=$?
rel=$("$TFC" show -json r.tfplan | python3 -c '
import json,sys
print(sorted((r["resource"], r["attribute"]) for r in json.load(sys.stdin)["relevant_attributes"]))' 2>&1)
if [ $rc = 0 ] && ! grep -q 'Objects have changed outside' <<<"$out" \
   && [ "$(head -1 <<<"$out")" = 'aws_sns_topic.alerts: Refreshing state... [id=arn:aws:sns:us-east-1:123456789012:default-inference-alerts]' ] \
   && grep -q "('module.inference.aws_iam_role.sagemaker_execution', \['arn'\])" <<<"$rel" \
   && grep -q "('module.inference.aws_sagemaker_endpoint.this', \['name'\])" <<<"$rel"; then
  ok irrelevant-drift-hidden
else fail irrelevant-drift-hidden "rc=$rc $(grep -n 'changed outside\|has changed' <<<"$out" | head -3) $rel"; fi

"$TFC" sim call sns DeleteTopic '{"TopicArn":"arn:aws:sns:us-east-1:123456789012:default-inference-alerts"}' >/dev/null

out=$("$TFC" plan -refresh-only -no-color -detailed-exitcode $V 2>&1); rc=$?
if [ $rc = 2 ] && grep -q '^  # aws_sns_topic.alerts has been deleted$' <<<"$out" \
   && grep -q '^This is a refresh-only plan, so Terraform will not take any actions to undo$' <<<"$out" \
   && ! grep -q 'will be created' <<<"$out" && ! grep -q '^Plan:' <<<"$out"; then
  ok plan-shows-drift-only
else fail plan-shows-drift-only "rc=$rc $(grep -n 'will be\|^Plan' <<<"$out" | head -3)"; fi

out=$("$TFC" apply -refresh-only -auto-approve -no-color $V 2>&1); rc=$?
topics=$("$TFC" sim call sns ListTopics '{}' | python3 -c 'import json,sys; print(len(json.load(sys.stdin).get("Topics", [])))')
if [ $rc = 0 ] && ! "$TFC" state list | grep -q aws_sns_topic.alerts && [ "$topics" = 0 ] \
   && [ "$("$TFC" state list | wc -l)" = 9 ]; then
  ok apply-records-refresh
else fail apply-records-refresh "rc=$rc topics=$topics $(tail -3 <<<"$out" | tr '\n' '|')"; fi

out=$("$TFC" plan -refresh-only -no-color -detailed-exitcode $V 2>&1); rc=$?
if [ $rc = 0 ] && grep -q '^No changes. Your infrastructure still matches the configuration.$' <<<"$out"; then ok converged
else fail converged "rc=$rc $(head -5 <<<"$out")"; fi

out=$("$TFC" plan -no-color $V 2>&1); rc=$?
if [ $rc = 0 ] && grep -q '^  # aws_sns_topic.alerts will be created$' <<<"$out"; then ok normal-plan-recreates
else fail normal-plan-recreates "rc=$rc"; fi

# `tfc refresh` is Terraform's alias of apply -refresh-only -auto-approve
"$TFC" apply -auto-approve -no-color $V >/dev/null 2>&1
"$TFC" sim call sns DeleteTopic '{"TopicArn":"arn:aws:sns:us-east-1:123456789012:default-inference-alerts"}' >/dev/null
out=$("$TFC" refresh -no-color $V 2>&1); rc=$?
if [ $rc = 0 ] && ! "$TFC" state list | grep -q aws_sns_topic.alerts; then ok refresh-command
else fail refresh-command "rc=$rc $(tail -3 <<<"$out" | tr '\n' '|')"; fi
