#!/usr/bin/env bash
# tests/suites/cli.sh — small commands: init, graph, version, usage errors.
set -u
ROOT=${TFC_ROOT:-$PWD}
TFC=${TFC:-$ROOT/build/tfc}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ok() { echo "ok - cli/$1"; }
fail() { echo "FAIL - cli/$1: $2"; }

cp -r "$ROOT/samples/sagemaker-endpoint-versioned" "$WORK/s"
cd "$WORK/s" || exit 1
out=$("$TFC" init -no-color 2>&1); rc=$?
if [ $rc = 0 ] && grep -q "Terraform has been successfully initialized!" <<<"$out" && [ -d .terraform ]; then ok init
else fail init "rc=$rc $out"; fi

out=$("$TFC" graph 2>&1); rc=$?
if [ $rc = 0 ] && grep -qF '"module.inference.aws_sagemaker_endpoint.this" -> "module.inference.aws_sagemaker_endpoint_configuration.this";' <<<"$out" \
   && grep -qF 'subgraph "cluster_module.inference" {' <<<"$out" && head -1 <<<"$out" | grep -qx 'digraph G {'; then ok graph
else fail graph "rc=$rc $(head -5 <<<"$out")"; fi
if command -v dot >/dev/null 2>&1; then
  if "$TFC" graph | dot -Tsvg >/dev/null 2>&1; then ok graph-dot-renders; else fail graph-dot-renders "dot rejected the output"; fi
fi

out=$("$TFC" version 2>&1)
grep -q "^tfc v" <<<"$out" && ok version || fail version "$out"

"$TFC" plan -bogus >/dev/null 2>&1; rc=$?
[ $rc = 1 ] && ok unknown-flag-exit-1 || fail unknown-flag-exit-1 "rc=$rc"
"$TFC" nosuchcommand >/dev/null 2>&1; rc=$?
[ $rc = 1 ] && ok unknown-command-exit-1 || fail unknown-command-exit-1 "rc=$rc"

# apply asks, and anything but "yes" cancels with exit 1
"$TFC" workspace new prod >/dev/null
out=$(echo no | TF_WORKSPACE=prod "$TFC" apply -no-color -var-file=environments/prod.tfvars 2>&1); rc=$?
if [ $rc = 1 ] && grep -q "Only 'yes' will be accepted to approve." <<<"$out" && grep -q "Apply cancelled." <<<"$out"; then
  ok apply-cancelled
else fail apply-cancelled "rc=$rc $(tail -3 <<<"$out")"; fi

# show: the state as Terraform prints it, and its JSON form
TF_WORKSPACE=prod "$TFC" apply -auto-approve -no-color -var-file=environments/prod.tfvars >/dev/null 2>&1
out=$(TF_WORKSPACE=prod "$TFC" show -no-color 2>&1)
if grep -q '^# module.inference.aws_sagemaker_endpoint.this:$' <<<"$out" && grep -q '^Outputs:$' <<<"$out" \
   && grep -q '^endpoint_name = "prod-fraud-detector-v2"$' <<<"$out"; then ok show
else fail show "$(head -5 <<<"$out")"; fi
out=$(TF_WORKSPACE=prod "$TFC" show -json 2>&1)
if python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); assert d["format_version"]=="1.0"; assert d["values"]["root_module"]' <<<"$out"; then ok show-json
else fail show-json "$(head -c 200 <<<"$out")"; fi

# console evaluates against the configuration, its variables and the state
out=$(printf 'var.model_config.instance_type\nlocal.model_bucket_arn\naws_sns_topic.alerts.name\n' | \
  TF_WORKSPACE=prod "$TFC" console -var-file=environments/prod.tfvars 2>&1)
if [ "$out" = "$(printf '"ml.c5.xlarge"\n"arn:aws:s3:::ml-models-prod"\n"prod-inference-alerts"')" ]; then ok console-config
else fail console-config "$out"; fi

# type() in the console and convert() everywhere
out=$(printf 'type({a = 1, b = "x"})\nconvert(["a", "b"], set(string))\n' | "$TFC" console 2>&1)
want=$(printf 'object({\n    a: number,\n    b: string,\n})\ntoset([\n  "a",\n  "b",\n])')
[ "$out" = "$want" ] && ok console-type-convert || fail console-type-convert "$out"


# a provider that cannot be configured is an error, not a crash (configure
# owns its transport even when it fails)
mkdir -p "$WORK/noregion" && echo 'resource "aws_sns_topic" "t" { name = "x" }' >"$WORK/noregion/main.tf"
out=$(cd "$WORK/noregion" && env -u AWS_REGION -u AWS_DEFAULT_REGION "$TFC" plan -no-color 2>&1); rc=$?
if [ $rc = 1 ] && grep -q "Error: Invalid provider configuration" <<<"$out"; then ok provider-configure-fails-cleanly
else fail provider-configure-fails-cleanly "rc=$rc $(head -3 <<<"$out")"; fi
