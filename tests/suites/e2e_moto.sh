#!/usr/bin/env bash
# tests/suites/e2e_moto.sh — the versioned sample applied with -cloud=aws
# (HTTPS, SigV4) against moto_server on 127.0.0.1, checked with boto3, then
# destroyed. moto has no Application Auto Scaling TagResource, so that one
# call fails there; everything else must be created and found.
set -u
ROOT=${TFC_ROOT:-$PWD}
TFC=${TFC:-$ROOT/build/tfc}
ok() { echo "ok - moto/$1"; }
fail() { echo "FAIL - moto/$1: $2"; }
if ! command -v moto_server >/dev/null 2>&1 || ! python3 -c 'import boto3' 2>/dev/null; then
  ok "skipped: moto_server or boto3 not installed"
  exit 0
fi
WORK=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
moto_server -H 127.0.0.1 -p "$port" >"$WORK/moto.log" 2>&1 &
mpid=$!
trap 'kill $mpid 2>/dev/null; wait $mpid 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/moto-api/')" 2>/dev/null && break; sleep 0.2; done
export AWS_ENDPOINT_URL=http://127.0.0.1:$port AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export TF_WORKSPACE=prod
cp -r "$ROOT/samples/sagemaker-endpoint-versioned" "$WORK/s"
cd "$WORK/s" || exit 1
"$TFC" workspace new prod >/dev/null 2>&1
"$TFC" apply -cloud=aws -auto-approve -no-color -var-file=environments/prod.tfvars >"$WORK/apply.out" 2>&1
errs=$(grep -c '^Error:' "$WORK/apply.out")
if [ "$errs" = 1 ] && grep -q 'TagResource' "$WORK/apply.out"; then ok apply-over-https
else fail apply-over-https "$errs errors: $(grep -v 'Still ' "$WORK/apply.out" | tail -8 | tr '\n' '|')"; fi
python3 - "$port" <<'PY' && ok objects-found-with-boto3 || fail objects-found-with-boto3 "see above"
import boto3, sys
u = f"http://127.0.0.1:{sys.argv[1]}"
c = lambda s: boto3.client(s, endpoint_url=u, region_name="us-east-1")
sm, iam, cw, sns = c("sagemaker"), c("iam"), c("cloudwatch"), c("sns")
assert [e["EndpointName"] for e in sm.list_endpoints()["Endpoints"]] == ["prod-fraud-detector-v2"]
assert len(sm.list_models()["Models"]) == 1 and len(sm.list_endpoint_configs()["EndpointConfigs"]) == 1
assert iam.get_role(RoleName="prod-sagemaker-inference")["Role"]["Arn"].endswith("role/prod-sagemaker-inference")
assert iam.get_role_policy(RoleName="prod-sagemaker-inference", PolicyName="model-s3-ecr-access")
names = sorted(a["AlarmName"] for a in cw.describe_alarms()["MetricAlarms"])
assert names == ["prod-endpoint-5xx-errors", "prod-endpoint-high-latency"], names
assert any(t["TopicArn"].endswith(":prod-inference-alerts") for t in sns.list_topics()["Topics"])
PY
# The article's invoke.py, unchanged, against the endpoint tfc created in
# moto (boto3 takes the address from AWS_ENDPOINT_URL; moto's answer is set
# through its moto-api).
python3 - "$port" <<'PY'
import json, sys, urllib.request
body = {"results": [{"Body": "{\"prediction\": 0.7356}", "ContentType": "application/json",
                     "InvokedProductionVariant": "primary", "CustomAttributes": ""}], "region": "us-east-1"}
req = urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}/moto-api/static/sagemaker/endpoint-results",
                             data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
urllib.request.urlopen(req)
PY
out=$(python3 invoke.py 2>&1)
if grep -q "0.7356" <<<"$out"; then ok invoke-py-unchanged; else fail invoke-py-unchanged "$out"; fi

# Plan again over HTTPS: refresh reads every object back from moto. moto
# answers some reads with fields AWS leaves out (an empty VpcConfig for a
# model, an empty DataCaptureConfig), so this plan is not empty there; it
# must still succeed.
"$TFC" plan -cloud=aws -no-color -var-file=environments/prod.tfvars >"$WORK/plan.out" 2>&1
rc=$?
[ $rc = 0 ] && ok plan-again || fail plan-again "rc=$rc $(grep -A3 '^Error' "$WORK/plan.out" | head -6 | tr '\n' '|')"
"$TFC" destroy -cloud=aws -auto-approve -no-color -var-file=environments/prod.tfvars >"$WORK/destroy.out" 2>&1
grep -q "Destroy complete!" "$WORK/destroy.out" && ok destroy || fail destroy "$(grep -A2 '^Error' "$WORK/destroy.out" | head -5 | tr '\n' '|')"
python3 - "$port" <<'PY' && ok moto-empty || fail moto-empty "objects left"
import boto3, sys
u = f"http://127.0.0.1:{sys.argv[1]}"
c = lambda s: boto3.client(s, endpoint_url=u, region_name="us-east-1")
assert not c("sagemaker").list_endpoints()["Endpoints"]
assert not c("sagemaker").list_models()["Models"]
assert not [r for r in c("iam").list_roles()["Roles"] if r["RoleName"] == "prod-sagemaker-inference"]
assert not c("cloudwatch").describe_alarms()["MetricAlarms"]
PY
