#!/usr/bin/env bash
# tests/suites/import.sh — `tfc import ADDR ID`: Terraform's texts and exit
# codes, the state written like any operation (lock, backup), a plan with no
# changes afterwards, and every refusal (address not configured, wrong
# instance key, already managed, no such object, bad usage, lock held).
set -u
ROOT=${TFC_ROOT:-$PWD}
TFC=${TFC:-$ROOT/build/tfc}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ok() { echo "ok - import/$1"; }
fail() { echo "FAIL - import/$1: $2"; }

cd "$WORK" || exit 1
cat > main.tf <<'TF'
provider "aws" {
  region = "us-east-1"
}

variable "role_name" {
  type = string
}

locals {
  trust = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Action = "sts:AssumeRole", Effect = "Allow", Principal = { Service = "sagemaker.amazonaws.com" } }]
  })
}

resource "aws_iam_role" "legacy" {
  name               = var.role_name
  assume_role_policy = local.trust
}

resource "aws_iam_role" "fleet" {
  count              = 2
  name               = "fleet-${count.index}"
  assume_role_policy = local.trust
}

resource "aws_sns_topic" "alerts" {
  name = "alerts"
}
TF
TRUST='{\"Version\":\"2012-10-17\",\"Statement\":[{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"sagemaker.amazonaws.com\"}}]}'
for r in legacy-role fleet-0 fleet-1; do
  "$TFC" sim call iam CreateRole "{\"RoleName\":\"$r\",\"AssumeRolePolicyDocument\":\"$TRUST\"}" >/dev/null
done
"$TFC" sim call sns CreateTopic '{"Name":"alerts"}' >/dev/null
V=(-var role_name=legacy-role)

out=$("$TFC" import -no-color "${V[@]}" aws_iam_role.legacy legacy-role 2>&1); rc=$?
want='aws_iam_role.legacy: Importing from ID "legacy-role"...
aws_iam_role.legacy: Import prepared!
  Prepared aws_iam_role for import
aws_iam_role.legacy: Refreshing state... [id=legacy-role]

Import successful!

The resources that were imported are shown above. These resources are now in
your Terraform state and will henceforth be managed by Terraform.'
if [ $rc = 0 ] && [ "$out" = "$want" ]; then ok success-text
else fail success-text "rc=$rc $out"; fi

if python3 - <<'PY'
import json
s = json.load(open("terraform.tfstate"))
r = [x for x in s["resources"] if x["name"] == "legacy"]
assert s["serial"] == 1 and len(r) == 1, s
a = r[0]["instances"][0]["attributes"]
assert a["name"] == "legacy-role" and a["id"] == "legacy-role" and a["arn"].endswith(":role/legacy-role"), a
PY
then ok state-written
else fail state-written "$(head -c 300 terraform.tfstate)"; fi
if [ ! -e .terraform.tfstate.journal ] && [ "$(stat -c %a terraform.tfstate)" = 600 ]; then ok journal-folded
else fail journal-folded "$(ls -a)"; fi

# the imported role matches its configuration; the others are still to create
out=$("$TFC" plan -no-color "${V[@]}" 2>&1); rc=$?
if [ $rc = 0 ] && grep -q '^Plan: 3 to add, 0 to change, 0 to destroy\.$' <<<"$out" \
   && ! grep -q '^  # aws_iam_role.legacy' <<<"$out"; then ok plan-after-import
else fail plan-after-import "rc=$rc $(grep -E '^(Plan|  #|Error)' <<<"$out")"; fi

# instances of count and a plain resource; the second import writes a backup
out=$("$TFC" import -no-color "${V[@]}" 'aws_iam_role.fleet[1]' fleet-1 2>&1); rc=$?
if [ $rc = 0 ] && grep -q '^aws_iam_role.fleet\[1\]: Refreshing state... \[id=fleet-1\]$' <<<"$out" && [ -s terraform.tfstate.backup ]; then
  ok count-instance
else fail count-instance "rc=$rc $out"; fi
"$TFC" import -no-color "${V[@]}" 'aws_iam_role.fleet[0]' fleet-0 >/dev/null 2>&1
out=$("$TFC" import -no-color "${V[@]}" aws_sns_topic.alerts arn:aws:sns:us-east-1:123456789012:alerts 2>&1); rc=$?
if [ $rc = 0 ] && grep -q 'Refreshing state... \[id=arn:aws:sns:us-east-1:123456789012:alerts\]' <<<"$out"; then ok topic
else fail topic "rc=$rc $out"; fi
out=$("$TFC" plan -no-color -detailed-exitcode "${V[@]}" 2>&1); rc=$?
if [ $rc = 0 ] && grep -q '^No changes\. Your infrastructure matches the configuration\.$' <<<"$out"; then ok plan-no-changes
else fail plan-no-changes "rc=$rc $(grep -E '^(Plan|  #|Error)' <<<"$out")"; fi
if [ "$("$TFC" state list | tr '\n' ' ')" = 'aws_iam_role.fleet[0] aws_iam_role.fleet[1] aws_iam_role.legacy aws_sns_topic.alerts ' ]; then
  ok state-list
else fail state-list "$("$TFC" state list)"; fi

# refusals
out=$("$TFC" import -no-color "${V[@]}" aws_iam_role.legacy legacy-role 2>&1); rc=$?
if [ $rc = 1 ] && grep -q '^Error: Resource already managed by Terraform$' <<<"$out" \
   && grep -q 'Terraform is already managing a remote object for aws_iam_role.legacy. To$' <<<"$out" \
   && [ "$(head -1 <<<"$out")" = 'aws_iam_role.legacy: Importing from ID "legacy-role"...' ]; then
  ok already-managed
else fail already-managed "rc=$rc $out"; fi

err=$("$TFC" import -no-color "${V[@]}" aws_iam_role.ghost legacy-role 2>&1 >/dev/null); rc=$?
want='Error: resource address "aws_iam_role.ghost" does not exist in the configuration.

Before importing this resource, please create its configuration in the root module. For example:

resource "aws_iam_role" "ghost" {
  # (resource arguments)
}'
if [ $rc = 1 ] && [ "$err" = "$want" ]; then ok not-configured
else fail not-configured "rc=$rc $err"; fi

out=$("$TFC" import -no-color "${V[@]}" 'aws_iam_role.legacy[0]' legacy-role 2>&1); rc=$?
if [ $rc = 1 ] && grep -q '^Error: Configuration for import target does not exist$' <<<"$out" \
   && grep -q 'The configuration for the given import target aws_iam_role.legacy\[0\] does not' <<<"$out"; then
  ok wrong-instance-key
else fail wrong-instance-key "rc=$rc $out"; fi

"$TFC" state rm aws_sns_topic.alerts >/dev/null 2>&1
out=$("$TFC" import -no-color "${V[@]}" aws_sns_topic.alerts arn:aws:sns:us-east-1:123456789012:nope 2>&1); rc=$?
if [ $rc = 1 ] && grep -q '^Error: Cannot import non-existent remote object$' <<<"$out" \
   && grep -q 'existing object to "aws_sns_topic.alerts", the' <<<"$out" && ! "$TFC" state list | grep -q alerts; then
  ok no-such-object
else fail no-such-object "rc=$rc $out"; fi

out=$("$TFC" import -no-color aws_iam_role.legacy 2>&1); rc=$?
if [ $rc = 1 ] && grep -q 'The import command expects two arguments' <<<"$out"; then ok usage
else fail usage "rc=$rc $out"; fi

out=$("$TFC" import -no-color -input=false aws_sns_topic.alerts arn:aws:sns:us-east-1:123456789012:alerts 2>&1); rc=$?
if [ $rc = 1 ] && grep -q 'role_name' <<<"$out"; then ok variables-required
else fail variables-required "rc=$rc $out"; fi

# -state writes elsewhere; the default state is untouched
before=$(cat terraform.tfstate)
out=$("$TFC" import -no-color -var-file=/dev/null "${V[@]}" -state=other.tfstate aws_sns_topic.alerts \
      arn:aws:sns:us-east-1:123456789012:alerts 2>&1); rc=$?
if [ $rc = 0 ] && grep -q '"alerts"' other.tfstate && [ "$(cat terraform.tfstate)" = "$before" ]; then ok state-flag
else fail state-flag "rc=$rc $out"; fi

# a second writer holding the lock
if command -v flock >/dev/null; then
  flock .terraform.tfstate.lock.info sleep 3 &
  sleep 0.3
  out=$("$TFC" import -no-color "${V[@]}" aws_sns_topic.alerts arn:aws:sns:us-east-1:123456789012:alerts 2>&1); rc=$?
  wait
  if [ $rc = 1 ] && grep -q 'Error acquiring the state lock' <<<"$out"; then ok lock-held
  else fail lock-held "rc=$rc $out"; fi
fi

# modules called with count and for_each: the instance's key is part of the
# state address, and must be one the call's expansion gives
mkdir -p "$WORK/mods/m" && cd "$WORK/mods" || exit 1
cat > m/main.tf <<'TF'
variable "name" {
  type = string
}
resource "aws_sns_topic" "t" {
  name = var.name
}
TF
cat > main.tf <<'TF'
provider "aws" {
  region = "us-east-1"
}
variable "envs" {
  type    = set(string)
  default = ["dev", "prod"]
}
module "svc" {
  source   = "./m"
  for_each = var.envs
  name     = "svc-${each.key}"
}
module "opt" {
  source = "./m"
  count  = 1
  name   = "opt-${count.index}"
}
TF
for n in svc-dev svc-prod opt-0 late-0; do "$TFC" sim call sns CreateTopic "{\"Name\":\"$n\"}" >/dev/null; done
A=arn:aws:sns:us-east-1:123456789012
out=$("$TFC" import -no-color 'module.svc["prod"].aws_sns_topic.t' "$A:svc-prod" 2>&1); rc=$?
if [ $rc = 0 ] && grep -q '^module.svc\["prod"\].aws_sns_topic.t: Import prepared!$' <<<"$out" \
   && [ "$("$TFC" state list)" = 'module.svc["prod"].aws_sns_topic.t' ]; then ok for-each-module
else fail for-each-module "rc=$rc $out"; fi

out=$("$TFC" import -no-color 'module.opt[0].aws_sns_topic.t' "$A:opt-0" 2>&1); rc=$?
if [ $rc = 0 ] && "$TFC" state list | grep -qx 'module.opt\[0\].aws_sns_topic.t'; then ok count-module
else fail count-module "rc=$rc $out"; fi

# the imported instances need no change; the others are still to create
out=$("$TFC" plan -no-color 2>&1); rc=$?
if [ $rc = 0 ] && grep -q 'Plan: 1 to add, 0 to change, 0 to destroy.' <<<"$out" \
   && ! grep -q 'module.svc\["prod"\].aws_sns_topic.t will be' <<<"$out" \
   && ! grep -q 'module.opt\[0\].aws_sns_topic.t will be' <<<"$out"; then ok module-plan-after
else fail module-plan-after "rc=$rc $out"; fi

for bad in 'module.svc["qa"].aws_sns_topic.t' 'module.opt[3].aws_sns_topic.t' 'module.svc[0].aws_sns_topic.t' \
           'module.opt.aws_sns_topic.t'; do
  out=$("$TFC" import -no-color "$bad" "$A:svc-dev" 2>&1); rc=$?
  if [ $rc = 1 ] && grep -q '^Error: Configuration for import target does not exist$' <<<"$out"; then ok "no-instance $bad"
  else fail "no-instance $bad" "rc=$rc $out"; fi
done

# a module whose count reads a resource: plan knows it, import (which
# evaluates expansions from the variables alone) cannot
cat >> main.tf <<'TF'
resource "aws_sns_topic" "seed" {
  name = "seed"
}
module "late" {
  source = "./m"
  count  = length(aws_sns_topic.seed.name) > 0 ? 1 : 0
  name   = "late-${count.index}"
}
TF
out=$("$TFC" import -no-color 'module.late[0].aws_sns_topic.t' "$A:late-0" 2>&1); rc=$?
if [ $rc = 1 ] && grep -q '^Error: Cannot import into an undetermined module instance$' <<<"$out" \
   && grep -q 'module "late"' <<<"$out"; then ok undetermined-module
else fail undetermined-module "rc=$rc $out"; fi
# and an unrelated call like it does not stand in the way of another import
out=$("$TFC" import -no-color 'module.svc["dev"].aws_sns_topic.t' "$A:svc-dev" 2>&1); rc=$?
if [ $rc = 0 ] && "$TFC" state list | grep -qx 'module.svc\["dev"\].aws_sns_topic.t'; then ok other-call-undetermined
else fail other-call-undetermined "rc=$rc $out"; fi
