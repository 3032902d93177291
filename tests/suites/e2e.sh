#!/usr/bin/env bash
# tests/suites/e2e.sh — the article's repository end to end, driving the tfc
# binary on copies of the samples against the simulated AWS.
set -u
ROOT=${TFC_ROOT:-$PWD}
TFC=${TFC:-$ROOT/build/tfc}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export TFC_SIM_SEED=1
ok() { echo "ok - e2e/$1"; }
fail() { echo "FAIL - e2e/$1: $2"; }
# expect NAME FILE PATTERN... : every fixed string appears in FILE
expect() {
  local name=$1 file=$2
  shift 2
  for p in "$@"; do
    if ! grep -qF -- "$p" "$file"; then
      fail "$name" "missing \"$p\" in: $(grep -v 'Still ' "$file" | tail -15 | tr '\n' '|')"
      return 1
    fi
  done
  ok "$name"
}
state_attr() { # WORKSPACE TYPE ATTR
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys
ws, ty, attr = sys.argv[1:]
s = json.load(open(f"terraform.tfstate.d/{ws}/terraform.tfstate"))
for r in s["resources"]:
    if r["type"] == ty:
        for i in r["instances"]:
            if "deposed" not in i:
                print(i["attributes"].get(attr))
PY
}

# 1. The article's repository as published: Terraform stops at plan on the
# cycle between the endpoint and its 5xx alarm; so does tfc.
A="$WORK/article"
cp -r "$ROOT/samples/sagemaker-endpoint" "$A"
(cd "$A" && "$TFC" workspace new prod >/dev/null && TF_WORKSPACE=prod "$TFC" plan -no-color \
  -var-file=environments/prod.tfvars >"$WORK/a.out" 2>&1; echo "rc=$?" >>"$WORK/a.out")
expect article-plan-cycle "$WORK/a.out" "rc=1" \
  "Error: Cycle: module.inference.aws_sagemaker_endpoint.this, module.inference.aws_cloudwatch_metric_alarm.endpoint_errors"

# 2. prod, versioned sample: plan, apply, everything created, InService; a
# second plan has nothing to do.
V="$WORK/versioned"
cp -r "$ROOT/samples/sagemaker-endpoint-versioned" "$V"
cd "$V" || exit 1
"$TFC" workspace new prod >/dev/null
export TF_WORKSPACE=prod
"$TFC" plan -no-color -var-file=environments/prod.tfvars >"$WORK/p1.out" 2>&1
expect prod-plan "$WORK/p1.out" "Plan: 10 to add, 0 to change, 0 to destroy." \
  "# module.inference.aws_sagemaker_endpoint.this will be created" "+ endpoint_name      = \"prod-fraud-detector-v2\""
"$TFC" apply -auto-approve -no-color -var-file=environments/prod.tfvars >"$WORK/ap1.out" 2>&1
expect prod-apply "$WORK/ap1.out" "Apply complete! Resources: 10 added, 0 changed, 0 destroyed." \
  "module.inference.aws_sagemaker_endpoint.this: Creation complete after" 'endpoint_name = "prod-fraud-detector-v2"'
"$TFC" sim status >"$WORK/st1.out" 2>&1
expect prod-inservice "$WORK/st1.out" "prod-fraud-detector-v2  InService" "instances 2/2"
"$TFC" plan -no-color -detailed-exitcode -var-file=environments/prod.tfvars >"$WORK/p2.out" 2>&1
echo "rc=$?" >>"$WORK/p2.out"
expect prod-second-plan-no-changes "$WORK/p2.out" "No changes. Your infrastructure matches the configuration." "rc=0"

# 8. The article's request answered by the deployed endpoint.
"$TFC" sim invoke prod-fraud-detector-v2 --body '{"features": [0.5, 1.2, 3.4]}' >"$WORK/inv.out" 2>&1
if [ -s "$WORK/inv.out" ] && ! grep -q "Error" "$WORK/inv.out"; then ok invoke; else fail invoke "$(cat "$WORK/inv.out")"; fi

# 5a. A new model version: the model and configuration are replaced create
# before destroy, the endpoint is updated with a canary deployment.
sed -i 's|fraud-detector/v2/model.tar.gz|fraud-detector/v3/model.tar.gz|' environments/prod.tfvars
"$TFC" plan -no-color -var-file=environments/prod.tfvars >"$WORK/p3.out" 2>&1
expect version-plan "$WORK/p3.out" "Plan: 2 to add, 1 to change, 2 to destroy." \
  "# module.inference.aws_sagemaker_model.this must be replaced" "+/- resource \"aws_sagemaker_model\" \"this\"" \
  "# module.inference.aws_sagemaker_endpoint.this will be updated in-place"
"$TFC" apply -auto-approve -no-color -var-file=environments/prod.tfvars >"$WORK/ap3.out" 2>&1
expect version-apply "$WORK/ap3.out" "Apply complete! Resources: 2 added, 1 changed, 2 destroyed." \
  "module.inference.aws_sagemaker_endpoint.this: Modifications complete after"
"$TFC" sim status >"$WORK/st3.out" 2>&1
expect version-canary-timeline "$WORK/st3.out" "(CANARY)" "canary: Activating traffic on canary capacity of 1 instance(s)" \
  "final bake" "terminate old fleet"
cfg=$(state_attr prod aws_sagemaker_endpoint endpoint_config_name)
if grep -q "prod-fraud-detector-v2  InService  config $cfg" "$WORK/st3.out"; then ok version-state-matches-world
else fail version-state-matches-world "state says $cfg"; fi

# 5b. A faulty image: 5xx errors during the canary's bake trip the alarm,
# the endpoint rolls back, apply reports the failed update, and state and
# world agree on the configuration the endpoint really runs.
sed -i 's|ml-serving:v2.1.0|ml-serving:v2.2.0|' environments/prod.tfvars
"$TFC" sim fault image=123456789012.dkr.ecr.us-east-1.amazonaws.com/ml-serving:v2.2.0 5xx-rate=0.5 >/dev/null
"$TFC" sim traffic prod-fraud-detector-v2 --rps 20 --for 60m --background >/dev/null
"$TFC" apply -auto-approve -no-color -var-file=environments/prod.tfvars >"$WORK/ap4.out" 2>&1
echo "rc=$?" >>"$WORK/ap4.out"
expect rollback-apply-fails "$WORK/ap4.out" "rc=1" "update failed and was rolled back" \
  "Auto-rollback alarm prod-endpoint-5xx-errors entered the ALARM state" "Keeping deposed object"
"$TFC" sim status >"$WORK/st4.out" 2>&1
cfg=$(state_attr prod aws_sagemaker_endpoint endpoint_config_name)
if grep -q "prod-fraud-detector-v2  InService  config $cfg" "$WORK/st4.out"; then ok rollback-state-matches-world
else fail rollback-state-matches-world "state says $cfg; world: $(grep -A1 'Endpoints' "$WORK/st4.out" | tail -1)"; fi
"$TFC" sim fault image=123456789012.dkr.ecr.us-east-1.amazonaws.com/ml-serving:v2.2.0 5xx-rate=0 >/dev/null

# 6. Traffic above the target scales the variant out, and back in after.
"$TFC" sim reset >/dev/null
rm -rf terraform.tfstate.d/prod/terraform.tfstate*
git -C "$V" checkout -q 2>/dev/null
cp "$ROOT/samples/sagemaker-endpoint-versioned/environments/prod.tfvars" environments/prod.tfvars
"$TFC" apply -auto-approve -no-color -var-file=environments/prod.tfvars >/dev/null 2>&1
"$TFC" sim traffic prod-fraud-detector-v2 --rps 40 --for 20m >/dev/null 2>&1
"$TFC" sim status >"$WORK/st5.out" 2>&1
if grep -Eq "instances ([3-9]|10)/" "$WORK/st5.out"; then ok traffic-scales-out
else fail traffic-scales-out "$(grep -A2 'Endpoints' "$WORK/st5.out" | tr '\n' '|')"; fi
"$TFC" sim advance 60m >/dev/null 2>&1
"$TFC" sim status >"$WORK/st6.out" 2>&1
expect traffic-scales-back-in "$WORK/st6.out" "instances 2/2"

# 7. destroy leaves the simulated world empty.
"$TFC" destroy -auto-approve -no-color -var-file=environments/prod.tfvars >"$WORK/d.out" 2>&1
expect destroy "$WORK/d.out" "Destroy complete! Resources: 10 destroyed."
"$TFC" sim status -json >"$WORK/w.json" 2>&1
left=$(python3 - "$WORK/w.json" <<'PY'
import json, sys
w = json.load(open(sys.argv[1]))
objects = {"iam": ["roles"], "sagemaker": ["models", "endpoint_configs", "endpoints"],
           "autoscaling": ["targets", "policies"], "cloudwatch": ["alarms"], "sns": ["topics"]}
print(sum(len(w.get(svc, {}).get(k, [])) for svc, ks in objects.items() for k in ks))
PY
)
[ "${left:-x}" = 0 ] && ok destroy-world-empty || fail destroy-world-empty "objects left: ${left:-?} $(head -c 300 "$WORK/w.json")"

# 3. dev: AWS refuses the autoscaling target on ml.t2.medium; apply says why.
unset TF_WORKSPACE
"$TFC" workspace new dev >/dev/null
TF_WORKSPACE=dev "$TFC" apply -auto-approve -no-color -var-file=environments/dev.tfvars >"$WORK/dev.out" 2>&1
echo "rc=$?" >>"$WORK/dev.out"
expect dev-apply-burstable "$WORK/dev.out" "rc=1" "Warning: Autoscaling target on a burstable instance type" \
  "module.inference.aws_sagemaker_endpoint.this: Creation complete after" "burstable"
